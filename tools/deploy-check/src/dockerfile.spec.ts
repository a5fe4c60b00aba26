import { dockerfileProblems, dockerStages, parseDockerfile } from './dockerfile';

const GOOD = `# syntax=docker/dockerfile:1
# a comment
FROM node:24-bookworm-slim AS build
WORKDIR /src
RUN npm ci \\
    # a comment inside a continuation
    --omit=dev
FROM node:24-alpine AS runtime
COPY --from=build /src/dist ./dist
USER 1000:1000
HEALTHCHECK --interval=10s CMD ["node", "/app/healthcheck.mjs"]
ENTRYPOINT ["node", "dist/main.js"]
`;

describe('parseDockerfile', () => {
  it('drops comments and directives, joins continuations and keeps the line of the keyword', () => {
    expect(parseDockerfile(GOOD)).toEqual([
      { keyword: 'FROM', args: 'node:24-bookworm-slim AS build', line: 3 },
      { keyword: 'WORKDIR', args: '/src', line: 4 },
      { keyword: 'RUN', args: 'npm ci  --omit=dev', line: 5 },
      { keyword: 'FROM', args: 'node:24-alpine AS runtime', line: 8 },
      { keyword: 'COPY', args: '--from=build /src/dist ./dist', line: 9 },
      { keyword: 'USER', args: '1000:1000', line: 10 },
      { keyword: 'HEALTHCHECK', args: '--interval=10s CMD ["node", "/app/healthcheck.mjs"]', line: 11 },
      { keyword: 'ENTRYPOINT', args: '["node", "dist/main.js"]', line: 12 },
    ]);
  });

  it('throws TypeError on a line that is not an instruction', () => {
    expect(() => parseDockerfile('FROM node:24\n--- oops\n')).toThrow(TypeError);
  });
});

describe('dockerStages', () => {
  it('groups instructions by FROM, with the stage names and --platform ignored', () => {
    const stages = dockerStages(parseDockerfile('ARG V=1\nFROM --platform=linux/amd64 node:24 AS a\nRUN x\nFROM a\nRUN y\n'));
    expect(stages.map((s) => [s.base, s.name, s.instructions.map((i) => i.args)])).toEqual([
      ['node:24', 'a', ['x']],
      ['a', undefined, ['y']],
    ]);
  });
});

describe('dockerfileProblems', () => {
  it('accepts a multi-stage Node 24 file with a non-root USER, a HEALTHCHECK and an ENTRYPOINT', () => {
    expect(dockerfileProblems(GOOD)).toEqual([]);
  });

  it('refuses a single stage', () => {
    expect(dockerfileProblems('FROM node:24\nUSER node\nHEALTHCHECK CMD true\nCMD ["node"]\n')).toEqual(['not multi-stage: 1 FROM']);
  });

  it('refuses a base that is not Node 24 (node:20, node:240, another image)', () => {
    for (const base of ['node:20-alpine', 'node:240', 'alpine:3']) {
      expect(dockerfileProblems(GOOD.replace('node:24-alpine', base))).toEqual([`stage runtime starts FROM ${base}, not node:24`]);
    }
  });

  it('refuses a final stage without USER, or running as root by name or id', () => {
    expect(dockerfileProblems(GOOD.replace('USER 1000:1000\n', ''))).toEqual(['the final stage has no USER (it would run as root)']);
    expect(dockerfileProblems(GOOD.replace('USER 1000:1000', 'USER root'))).toEqual(['the final stage runs as root (USER root)']);
    expect(dockerfileProblems(GOOD.replace('USER 1000:1000', 'USER 0:0'))).toEqual(['the final stage runs as root (USER 0:0)']);
  });

  it('refuses a missing or disabled HEALTHCHECK', () => {
    const without = GOOD.replace(/^HEALTHCHECK.*\n/m, '');
    expect(dockerfileProblems(without)).toEqual(['the final stage has no HEALTHCHECK']);
    expect(dockerfileProblems(GOOD.replace(/^HEALTHCHECK.*$/m, 'HEALTHCHECK NONE'))).toEqual(['the final stage disables its HEALTHCHECK']);
  });

  it('refuses COPY --from of a stage that does not exist (yet)', () => {
    expect(dockerfileProblems(GOOD.replace('--from=build', '--from=deps'))).toEqual(['line 9: COPY --from=deps names no earlier stage']);
  });

  it('refuses a final stage with nothing to run', () => {
    expect(dockerfileProblems(GOOD.replace(/^ENTRYPOINT.*\n/m, ''))).toEqual(['the final stage has no ENTRYPOINT or CMD']);
  });
});
