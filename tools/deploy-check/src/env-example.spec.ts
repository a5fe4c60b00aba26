import { composeInterpolations, envExampleProblems, parseEnvExample } from './env-example';
import { fixtureVariables } from './test-fixtures';

const apps = new Map([
  ['a', fixtureVariables(9080)],
  ['b', [...fixtureVariables(9081), { name: 'PORTAL_AUTH', default: '', required: true, secret: true }]],
]);

const GOOD = `# prose with = signs is not a variable: a=b
KEY_WRAP_SECRET=demo-only-secret-0123456789-0123456789
PORTAL_AUTH=demo-token
# REDIS_URL=redis://127.0.0.1:6379
# LOG_LEVEL=info
#DRAIN_TIMEOUT_MS=10000
# OPS_PORT=
# POSLINK_TAG=dev
`;

describe('parseEnvExample', () => {
  it('reads set and commented-out variable lines with their line numbers', () => {
    const entries = parseEnvExample(GOOD);
    expect([...entries.keys()]).toEqual(['KEY_WRAP_SECRET', 'PORTAL_AUTH', 'REDIS_URL', 'LOG_LEVEL', 'DRAIN_TIMEOUT_MS', 'OPS_PORT', 'POSLINK_TAG']);
    expect(entries.get('PORTAL_AUTH')).toEqual({ value: 'demo-token', commented: false, line: 3 });
    expect(entries.get('DRAIN_TIMEOUT_MS')).toEqual({ value: '10000', commented: true, line: 6 });
  });
});

describe('composeInterpolations', () => {
  it('finds ${X}, ${X:-d}, ${X:?m} and $X', () => {
    expect([...composeInterpolations('a: ${A}\nb: ${B:-x}\nc: ${C:?set C}\nd: $D/e\nf: plain {site}')]).toEqual(['A', 'B', 'C', 'D']);
  });
});

describe('envExampleProblems', () => {
  it('accepts a template documenting every variable with the apps\' defaults (OPS_PORT differs per app: any value)', () => {
    expect(envExampleProblems(GOOD, apps, 'x: ${POSLINK_TAG:-dev}')).toEqual([]);
  });

  it('reports an undocumented variable of an app or of the compose file', () => {
    expect(envExampleProblems(GOOD.replace('# LOG_LEVEL=info\n', ''), apps, '${PES_PORT}')).toEqual([
      'LOG_LEVEL is not documented',
      'PES_PORT (interpolated by docker-compose.yml) is not documented',
    ]);
  });

  it('reports a documented default that is not the app\'s', () => {
    expect(envExampleProblems(GOOD.replace('LOG_LEVEL=info', 'LOG_LEVEL=debug'), apps, '')).toEqual([
      'line 5: LOG_LEVEL documents "debug", the default is "info"',
    ]);
  });

  it('reports a set secret that is not marked as a demo value', () => {
    expect(envExampleProblems(GOOD.replace('PORTAL_AUTH=demo-token', 'PORTAL_AUTH=Bearer abc'), apps, '')).toEqual([
      'line 3: the secret PORTAL_AUTH holds a value that is not marked as a demo value',
    ]);
  });
});
