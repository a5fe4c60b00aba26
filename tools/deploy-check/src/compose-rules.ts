import type { ComposeConfig, ComposeService } from './compose';
import type { ServiceUnderCheck } from './deployment-rules';
import { SIMULATORS } from './workspace';

/** The profile of the simulators that dial in (POS, payment terminal): `docker compose --profile demo up`. */
export const DEMO_PROFILE = 'demo';

function healthchecked(service: ComposeService | undefined): boolean {
  return !!service?.healthcheck && service.healthcheck.disable !== true && service.healthcheck.test?.[0] !== 'NONE';
}

function appProblems(config: ComposeConfig, service: ServiceUnderCheck): string[] {
  const problems: string[] = [];
  const { app, opsPort, composeServices } = service.spec;
  const declared = new Map(service.variables.map((v) => [v.name, v]));
  for (const name of composeServices) {
    const s = config.services[name];
    if (!s) {
      problems.push(`no service ${name}`);
      continue;
    }
    if (s.build?.dockerfile !== `apps/${app}/Dockerfile`) problems.push(`${name} is not built from apps/${app}/Dockerfile`);
    const env = s.environment ?? {};
    for (const key of Object.keys(env)) if (!declared.has(key)) problems.push(`${name} sets ${key}, which ${app} does not declare`);
    for (const v of service.variables) if (v.required && !env[v.name]) problems.push(`${name} does not set the required ${v.name}`);
    if (env['OPS_PORT'] !== String(opsPort)) problems.push(`${name} does not run its ops server on ${opsPort} (DESIGN §8)`);
    if (!healthchecked(s)) problems.push(`${name} has no healthcheck`);
    if (s.depends_on?.['redis']?.condition !== 'service_healthy') problems.push(`${name} does not wait for a healthy redis`);
    if (s.read_only !== true || !s.cap_drop?.includes('ALL')) problems.push(`${name} is not read-only with every capability dropped`);
    if (s.profiles?.length) problems.push(`${name} is in a profile (it must start with a plain \`up\`)`);
  }
  const images = new Set(composeServices.map((n) => config.services[n]?.image));
  if (images.size !== 1) problems.push(`the ${app} replicas run different images`);
  return problems;
}

function simulatorProblems(config: ComposeConfig): string[] {
  const problems: string[] = [];
  for (const { name, listens } of SIMULATORS) {
    const s = config.services[name];
    if (!s) {
      problems.push(`no service ${name}`);
      continue;
    }
    if (s.build?.dockerfile !== 'tools/Dockerfile.sim' || s.build.args?.['SIM'] !== name) problems.push(`${name} is not built from tools/Dockerfile.sim with SIM=${name}`);
    const demo = s.profiles?.includes(DEMO_PROFILE) ?? false;
    if (listens && demo) problems.push(`${name} is a peer the services need, not a demo-only client`);
    if (!listens && !demo) problems.push(`${name} dials in and belongs to the ${DEMO_PROFILE} profile`);
    if (listens && !healthchecked(s)) problems.push(`${name} has no healthcheck`);
  }
  return problems;
}

function orderProblems(config: ComposeConfig): string[] {
  const problems: string[] = [];
  for (const [name, s] of Object.entries(config.services)) {
    for (const [dep, { condition }] of Object.entries(s.depends_on ?? {})) {
      const target = config.services[dep];
      if (!target) problems.push(`${name} depends on a missing service ${dep}`);
      else if (condition !== 'service_healthy') problems.push(`${name} does not wait for ${dep} to be healthy`);
      else if (!healthchecked(target)) problems.push(`${name} waits for ${dep}, which has no healthcheck`);
      if (target?.profiles?.length && !s.profiles?.length) problems.push(`${name} depends on ${dep}, which only runs in a profile`);
    }
  }
  // Depth-first search for a cycle: `up` would never start anything on it.
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, path: string[]): void => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') {
      problems.push(`depends_on cycle: ${[...path, name].join(' → ')}`);
      return;
    }
    state.set(name, 'visiting');
    for (const dep of Object.keys(config.services[name]?.depends_on ?? {})) visit(dep, [...path, name]);
    state.set(name, 'done');
  };
  for (const name of Object.keys(config.services)) visit(name, []);
  return problems;
}

function secretProblems(config: ComposeConfig, services: readonly ServiceUnderCheck[]): string[] {
  const secretNames = new Set(services.flatMap((s) => s.variables.filter((v) => v.secret).map((v) => v.name)));
  const secretValues = new Set<string>();
  for (const s of Object.values(config.services)) {
    for (const [key, value] of Object.entries(s.environment ?? {})) if (secretNames.has(key) && value) secretValues.add(value);
  }
  const problems: string[] = [];
  for (const [name, s] of Object.entries(config.services)) {
    if ((s.command ?? []).some((arg) => [...secretValues].some((secret) => arg.includes(secret)))) {
      problems.push(`${name} has a secret on its command line (visible in ps and docker inspect)`);
    }
  }
  return problems;
}

/**
 * What docker-compose.yml must be (issue 8), read from `docker-compose config`: Redis with
 * persistence and a healthcheck; each app built from its Dockerfile, hardened, healthchecked,
 * waiting for Redis, its environment matching what the app declares (required ones set, no
 * unknown names, the DESIGN §8 ops port); two gateway replicas of one image; the simulators
 * from tools/Dockerfile.sim, the dial-in ones in the demo profile; every dependency waiting for
 * a healthy service, without cycles; no secret on a command line.
 */
export function composeProblems(config: ComposeConfig, services: readonly ServiceUnderCheck[]): string[] {
  const problems: string[] = [];
  const redis = config.services['redis'];
  if (!redis) problems.push('no service redis');
  else {
    const command = (redis.command ?? []).join(' ');
    if (!/--appendonly yes/.test(command)) problems.push('redis runs without the append-only file (the event streams need persistence)');
    const data = (redis.volumes ?? []).some((v) => (typeof v === 'string' ? v.split(':')[1] === '/data' : v.target === '/data'));
    if (!data) problems.push('redis keeps /data on no volume');
    if (!healthchecked(redis)) problems.push('redis has no healthcheck');
  }
  for (const service of services) problems.push(...appProblems(config, service));
  return [...problems, ...simulatorProblems(config), ...orderProblems(config), ...secretProblems(config, services)];
}

/**
 * The `--flags` of a simulator's compose command that its CLI source does not define (as a
 * `util.parseArgs` option `name: {` or `'name': {`), so the compose file cannot drift from the
 * CLI unnoticed.
 */
export function unknownFlags(command: readonly string[], cliSource: string): string[] {
  const flags = command.filter((arg) => arg.startsWith('--')).map((arg) => arg.slice(2).split('=')[0]);
  return flags.filter((flag) => !new RegExp(`(^|[\\s{,])['"]?${flag.replace(/[-]/g, '\\-')}['"]?\\s*:\\s*\\{`, 'm').test(cliSource));
}
