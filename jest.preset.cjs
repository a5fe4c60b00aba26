// Shared Jest settings: @swc/jest compiles TypeScript (it does not type-check: every project
// has a `typecheck` target for that) and the tsconfig path aliases map to the libs' sources.
const path = require('node:path');
const { readFileSync } = require('node:fs');

const root = __dirname;
const base = JSON.parse(readFileSync(path.join(root, 'tsconfig.base.json'), 'utf8'));
const moduleNameMapper = {};
for (const [alias, [target]] of Object.entries(base.compilerOptions.paths)) {
  moduleNameMapper[`^${alias.replace(/[/.]/g, '\\$&')}$`] = path.join(root, target);
}

const swcOptions = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

/**
 * @param {string} projectDir absolute directory of the project (pass __dirname)
 * @param {{ integration?: boolean }} [opts]
 */
function preset(projectDir, opts = {}) {
  const unitOnly = process.env.POSLINK_UNIT_ONLY === '1';
  return {
    rootDir: projectDir,
    displayName: path.relative(root, projectDir),
    testEnvironment: 'node',
    transform: { '^.+\\.(t|j)s$': ['@swc/jest', swcOptions] },
    moduleFileExtensions: ['ts', 'js', 'json'],
    moduleNameMapper,
    testMatch: ['<rootDir>/src/**/*.spec.ts', ...(opts.integration && !unitOnly ? ['<rootDir>/test/**/*.spec.ts'] : [])],
    setupFiles: [path.join(root, 'tools/jest/setup.cjs')],
    testTimeout: 30000,
    clearMocks: true,
    reporters: ['default', path.join(root, 'tools/jest/count-reporter.cjs')],
  };
}

module.exports = { preset, swcOptions };
