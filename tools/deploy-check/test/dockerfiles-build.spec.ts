/**
 * Every Dockerfile is multi-stage, Node 24, non-root, healthchecked; each builds the bundle it
 * copies with the production bundler, and those bundles build here (the global setup bundled
 * them exactly as the Dockerfiles do); the shared healthcheck script answers as documented.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { dockerfileProblems, dockerStages, parseDockerfile } from '../src/dockerfile';
import { appVariables, readDeployFacts } from '../src/deploy-facts';
import { DOCKERFILES, SERVICES, SIMULATORS, fromRoot } from '../src/workspace';

const facts = readDeployFacts();
const read = (file: string): string => readFileSync(fromRoot(file), 'utf8');

describe.each(DOCKERFILES)('%s', (file) => {
  const stages = dockerStages(parseDockerfile(read(file)));
  const runtime = stages.at(-1)!;

  it('is multi-stage from node:24, runs as a non-root USER, has a HEALTHCHECK and an ENTRYPOINT', () => {
    expect(dockerfileProblems(read(file))).toEqual([]);
  });

  it('copies only paths that exist and that .dockerignore lets into the context', () => {
    const ignore = read('.dockerignore').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
    expect(ignore[0]).toBe('*'); // an allow-list: nothing enters a context unless named
    const allowed = ignore.filter((l) => l.startsWith('!')).map((l) => l.slice(1).replace(/\/$/, ''));
    for (const stage of stages) {
      for (const copy of stage.instructions.filter((i) => i.keyword === 'COPY' && !i.args.includes('--from='))) {
        for (const source of copy.args.split(/\s+/).filter((a) => !a.startsWith('--')).slice(0, -1)) {
          expect(existsSync(fromRoot(source))).toBe(true);
          expect(allowed.some((a) => source === a || source.startsWith(`${a}/`))).toBe(true);
        }
      }
    }
  });

  it('installs production dependencies only into the runtime, from the lockfile', () => {
    const deps = stages.find((s) => s.name === 'deps');
    expect(deps?.instructions.some((i) => i.keyword === 'RUN' && /npm ci --omit=dev/.test(i.args))).toBe(true);
    expect(runtime.instructions.some((i) => i.keyword === 'COPY' && i.args.startsWith('--from=deps /app/node_modules'))).toBe(true);
  });
});

describe.each(SERVICES)('apps/$app', ({ app, opsPort }) => {
  const file = `apps/${app}/Dockerfile`;
  const instructions = parseDockerfile(read(file));

  it('bundles itself with tools/build/bundle.mjs and copies that bundle into the runtime', () => {
    expect(instructions.some((i) => i.keyword === 'RUN' && i.args === `node tools/build/bundle.mjs ${app}`)).toBe(true);
    expect(instructions.some((i) => i.keyword === 'COPY' && i.args === `--from=build /src/dist/apps/${app} ./dist/apps/${app}`)).toBe(true);
    expect(instructions.find((i) => i.keyword === 'ENTRYPOINT')?.args).toBe(`["node", "dist/apps/${app}/main.js"]`);
  });

  it('probes readiness on its ops port and exposes it', () => {
    expect(instructions.find((i) => i.keyword === 'HEALTHCHECK')?.args).toContain(`CMD ["node", "/app/healthcheck.mjs", "${opsPort}"]`);
    expect(instructions.find((i) => i.keyword === 'EXPOSE')?.args.split(/\s+/)).toContain(String(opsPort));
  });

  it('production bundle builds and declares the DESIGN §8 ops port default', () => {
    const ops = appVariables(facts, app).find((v) => v.name === 'OPS_PORT');
    expect(ops?.default).toBe(String(opsPort));
  });
});

describe('tools/Dockerfile.sim', () => {
  const instructions = parseDockerfile(read('tools/Dockerfile.sim'));

  it('bundles tools/$SIM/src/cli.ts with tools/build/bundle-tool.mjs and runs it', () => {
    expect(instructions.some((i) => i.keyword === 'RUN' && i.args.includes('node tools/build/bundle-tool.mjs "$SIM"'))).toBe(true);
    expect(instructions.some((i) => i.keyword === 'COPY' && i.args === '--from=build /src/dist/tools/${SIM}/ ./sim/')).toBe(true);
    expect(instructions.find((i) => i.keyword === 'ENTRYPOINT')?.args).toBe('["node", "sim/cli.js"]');
  });

  describe.each(SIMULATORS.map((s) => s.name))('%s', (sim) => {
    if (facts.simulators[sim]?.missing) {
      it.todo(`bundle builds and answers --help (tools/${sim}/src/cli.ts is not written yet)`);
      return;
    }
    it('bundle builds and answers --help', async () => {
      const entry = facts.simulators[sim];
      expect(entry?.error).toBeUndefined();
      const { code, stdout } = await run(entry!.bundle!, ['--help'], {});
      expect(code).toBe(0);
      expect(stdout).toContain(sim);
    });
  });
});

/** Runs a Node script; resolves with its exit code and output. */
function run(script: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { env: { PATH: process.env['PATH'] ?? '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('deploy/docker/healthcheck.mjs', () => {
  const script = fromRoot('deploy/docker/healthcheck.mjs');
  let http: Server;
  let status = 200;
  let lastPath = '';
  const port = (server: { address(): AddressInfo | string | null }): number => (server.address() as AddressInfo).port;

  beforeAll(async () => {
    http = createHttpServer((req, res) => {
      lastPath = req.url ?? '';
      res.writeHead(status).end();
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => http.close(() => resolve()));
  });

  it('probes /health/ready on OPS_PORT (or the port argument): 2xx healthy, otherwise not', async () => {
    status = 200;
    expect((await run(script, [String(port(http))], {})).code).toBe(0);
    expect(lastPath).toBe('/health/ready');
    status = 503;
    const unhealthy = await run(script, ['1'], { OPS_PORT: String(port(http)) });
    expect(unhealthy.code).toBe(1);
    expect(unhealthy.stderr).toBe('unhealthy: /health/ready answered 503\n');
  });

  it('probes HEALTHCHECK_URL: http:// by status, tcp:// by connecting', async () => {
    status = 204;
    expect((await run(script, [], { HEALTHCHECK_URL: `http://127.0.0.1:${port(http)}/x` })).code).toBe(0);
    expect(lastPath).toBe('/x');
    const tcp = createTcpServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
    const tcpPort = port(tcp);
    expect((await run(script, [], { HEALTHCHECK_URL: `tcp://127.0.0.1:${tcpPort}` })).code).toBe(0);
    await new Promise<void>((resolve) => tcp.close(() => resolve()));
    const refused = await run(script, [], { HEALTHCHECK_URL: `tcp://127.0.0.1:${tcpPort}` });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^unhealthy: connect ECONNREFUSED/);
  });

  it('refuses other schemes and, with nothing to probe, reports healthy', async () => {
    const bad = await run(script, [], { HEALTHCHECK_URL: 'https://127.0.0.1/' });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('unhealthy: HEALTHCHECK_URL must be http:// or tcp:// (got https:)\n');
    expect((await run(script, [], {})).code).toBe(0);
  });
});
