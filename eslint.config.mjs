// Lint rules for the whole workspace. The module-boundary rule is what keeps the layers honest
// (DESIGN §1, STYLE 1): apps → feature libs → data-access libs → util/types libs, never upwards;
// feature libs never import each other; crypto and protocol import no Nest and do no I/O.
import nx from '@nx/eslint-plugin';

/** Node built-ins and packages that do I/O or bring the framework in: banned in pure libs. */
const IO_AND_FRAMEWORK = [
  '@nestjs/*', 'ioredis', 'undici', 'fastify', 'ws', 'pino', 'nestjs-pino', 'prom-client',
  'net', 'node:net', 'tls', 'node:tls', 'http', 'node:http', 'https', 'node:https', 'http2', 'node:http2',
  'fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'dgram', 'node:dgram', 'child_process', 'node:child_process',
  'dns', 'node:dns', 'cluster', 'node:cluster', 'worker_threads', 'node:worker_threads',
];

export default [
  { ignores: ['**/dist', '**/node_modules', '**/.nx', '**/coverage', '**/tmp', '**/.node24'] },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          banTransitiveDependencies: true,
          allow: [],
          depConstraints: [
            // layers
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:util', 'type:types', 'type:tool'] },
            { sourceTag: 'type:feature', onlyDependOnLibsWithTags: ['type:data-access', 'type:util', 'type:types'] },
            { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:data-access', 'type:util', 'type:types'] },
            { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:data-access', 'type:util', 'type:types', 'type:tool'] },
            { sourceTag: 'type:util', onlyDependOnLibsWithTags: [], bannedExternalImports: IO_AND_FRAMEWORK },
            { sourceTag: 'type:types', onlyDependOnLibsWithTags: [], bannedExternalImports: IO_AND_FRAMEWORK },
            // scopes: a service's app and feature lib see only their own scope and the shared libs
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:key-sync', onlyDependOnLibsWithTags: ['scope:key-sync', 'scope:shared'] },
            { sourceTag: 'scope:gateway', onlyDependOnLibsWithTags: ['scope:gateway', 'scope:shared'] },
            { sourceTag: 'scope:ingress', onlyDependOnLibsWithTags: ['scope:ingress', 'scope:shared'] },
            { sourceTag: 'scope:tools', onlyDependOnLibsWithTags: ['scope:tools', 'scope:shared'] },
            { sourceTag: 'scope:standalone', onlyDependOnLibsWithTags: ['scope:key-sync', 'scope:gateway', 'scope:ingress', 'scope:tools', 'scope:shared'] },
            { sourceTag: 'scope:bench', onlyDependOnLibsWithTags: ['scope:key-sync', 'scope:gateway', 'scope:ingress', 'scope:tools', 'scope:shared'] },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-syntax': [
        'error',
        { selector: "Decorator[expression.callee.name='Global']", message: 'No @Global modules: import what you use (STYLE, anti-pattern 1).' },
      ],
    },
  },
  {
    // Pure libs do no I/O (DESIGN §1): Node's I/O modules are not "external" packages to the Nx rule,
    // so they are banned here by name.
    files: ['libs/crypto/src/**/*.ts', 'libs/protocol/src/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/testing.ts', '**/testing/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: IO_AND_FRAMEWORK.filter((m) => !m.includes('*')), patterns: ['@nestjs/*'] }],
    },
  },
  {
    // Tests may drive the simulators (tools/*) as real network peers; production code may not.
    files: ['**/*.spec.ts', '**/test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:util', 'type:types', 'type:tool'] },
            { sourceTag: 'type:feature', onlyDependOnLibsWithTags: ['type:data-access', 'type:util', 'type:types', 'type:tool'] },
            { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:data-access', 'type:util', 'type:types', 'type:tool'] },
            { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:data-access', 'type:util', 'type:types', 'type:tool'] },
            { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util', 'type:types'], bannedExternalImports: ['@nestjs/*'] },
            { sourceTag: 'type:types', onlyDependOnLibsWithTags: ['type:util', 'type:types'], bannedExternalImports: ['@nestjs/*'] },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.json'],
    languageOptions: { parser: (await import('jsonc-eslint-parser')).default },
    rules: {},
  },
];
