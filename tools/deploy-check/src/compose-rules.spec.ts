import { composeProblems, unknownFlags } from './compose-rules';
import { fixtureCompose, fixtureServices } from './test-fixtures';

const services = fixtureServices();

describe('composeProblems', () => {
  it('accepts the compliant fixture', () => {
    expect(composeProblems(fixtureCompose(), services)).toEqual([]);
  });

  it('requires Redis with the append-only file on a /data volume and a healthcheck', () => {
    const config = fixtureCompose();
    config.services['redis'] = { image: 'redis:7', command: ['redis-server'] };
    expect(composeProblems(config, services)).toEqual([
      'redis runs without the append-only file (the event streams need persistence)',
      'redis keeps /data on no volume',
      'redis has no healthcheck',
      'key-sync waits for redis, which has no healthcheck',
      'secure-gateway-1 waits for redis, which has no healthcheck',
      'secure-gateway-2 waits for redis, which has no healthcheck',
      'event-stream-ingress waits for redis, which has no healthcheck',
    ]);
  });

  it('checks each app container against the app: its Dockerfile, variables, ops port, healthcheck, Redis wait, hardening', () => {
    const config = fixtureCompose();
    const ks = config.services['key-sync'];
    ks.build = { context: '.', dockerfile: 'Dockerfile' };
    ks.environment = { OPS_PORT: '9080', REDIS_URL: 'redis://redis:6379', KEY_WRAP_SECRET: '', PORTAL_UR: 'x' };
    ks.healthcheck = { disable: true };
    ks.depends_on = {};
    ks.read_only = false;
    expect(composeProblems(config, services)).toEqual([
      'key-sync is not built from apps/key-sync/Dockerfile',
      'key-sync sets PORTAL_UR, which key-sync does not declare',
      'key-sync does not set the required KEY_WRAP_SECRET',
      'key-sync does not run its ops server on 9081 (DESIGN §8)',
      'key-sync has no healthcheck',
      'key-sync does not wait for a healthy redis',
      'key-sync is not read-only with every capability dropped',
    ]);
  });

  it('requires the gateway replicas to run one image, outside any profile', () => {
    const config = fixtureCompose();
    config.services['secure-gateway-2'].image = 'pos-link/secure-gateway:other';
    config.services['secure-gateway-1'].profiles = ['demo'];
    expect(composeProblems(config, services)).toEqual([
      'secure-gateway-1 is in a profile (it must start with a plain `up`)',
      'the secure-gateway replicas run different images',
    ]);
  });

  it('builds the simulators from tools/Dockerfile.sim, the dial-in ones in the demo profile only', () => {
    const config = fixtureCompose();
    config.services['portal-sim'].build = { dockerfile: 'tools/Dockerfile.sim', args: { SIM: 'kitchen-sim' } };
    config.services['kitchen-sim'].profiles = ['demo'];
    delete config.services['pos-sim'].profiles;
    delete config.services['device-sim'];
    expect(composeProblems(config, services)).toEqual([
      'portal-sim is not built from tools/Dockerfile.sim with SIM=portal-sim',
      'kitchen-sim is a peer the services need, not a demo-only client',
      'pos-sim dials in and belongs to the demo profile',
      'no service device-sim',
    ]);
  });

  it('requires every dependency to exist, be healthy-waited, start without a profile, and form no cycle', () => {
    const config = fixtureCompose();
    config.services['redis'].depends_on = { 'key-sync': { condition: 'service_healthy' } };
    config.services['kitchen-sim'].depends_on = { 'pos-sim': { condition: 'service_started' }, ghost: { condition: 'service_healthy' } };
    expect(composeProblems(config, services)).toEqual([
      'kitchen-sim does not wait for pos-sim to be healthy',
      'kitchen-sim depends on pos-sim, which only runs in a profile',
      'kitchen-sim depends on a missing service ghost',
      'depends_on cycle: redis → key-sync → redis',
    ]);
  });

  it('refuses a secret value on any command line', () => {
    const config = fixtureCompose();
    config.services['portal-sim'].command = ['--auth', 'demo-secret-of-32-characters-at-least'];
    expect(composeProblems(config, services)).toEqual(['portal-sim has a secret on its command line (visible in ps and docker inspect)']);
  });
});

describe('unknownFlags', () => {
  const cli = "parseArgs({ options: {\n  host: { type: 'string' },\n  'key-id': { type: 'string' },\n} })";

  it('lists the --flags a CLI source does not define as parseArgs options', () => {
    expect(unknownFlags(['--host', 'h', '--key-id=x', '--port', '1', 'plain'], cli)).toEqual(['port']);
  });

  it('does not take a flag for a prefix or suffix of another option', () => {
    expect(unknownFlags(['--id', '--ho'], cli)).toEqual(['id', 'ho']);
  });
});
