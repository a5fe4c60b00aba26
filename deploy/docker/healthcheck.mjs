#!/usr/bin/env node
// The container HEALTHCHECK of every pos-link image (apps and simulators), copied to /app.
//
// Why a Node script and not curl/wget: the runtime images carry nothing but Node, so the probe
// uses what is already there (one binary to patch, no shell needed).
//
//   node /app/healthcheck.mjs <default-ops-port>
//
// Target, first that applies:
//   1. HEALTHCHECK_URL — `http://…` (GET, healthy on 2xx) or `tcp://host:port` (healthy when a
//      connection opens); the simulators use the latter, they have no /health routes;
//   2. `http://127.0.0.1:${OPS_PORT}/health/ready`, OPS_PORT defaulting to the argument
//      (DESIGN §3/§8: health lives on the ops port, never the public one). Readiness, not
//      liveness: compose's `depends_on: service_healthy` must wait until the service can serve;
//   3. neither: exit 0 — a simulator that only dials out (pos-sim, device-sim) has nothing to
//      probe, so "the process runs" is all Docker can know.
import { connect } from 'node:net';
import http from 'node:http';

/** Docker's own --timeout kills the probe too; this keeps a hung peer from using all of it. */
const PROBE_TIMEOUT_MS = 2000;

function done(ok, why) {
  if (!ok) process.stderr.write(`unhealthy: ${why}\n`);
  process.exit(ok ? 0 : 1);
}

function probeTcp(target) {
  const socket = connect({ host: target.hostname, port: Number(target.port) });
  socket.setTimeout(PROBE_TIMEOUT_MS, () => done(false, `no connection to ${target.host} within ${PROBE_TIMEOUT_MS} ms`));
  socket.once('connect', () => {
    socket.destroy();
    done(true);
  });
  socket.once('error', (error) => done(false, error.message));
}

function probeHttp(target) {
  const request = http.get(target, { timeout: PROBE_TIMEOUT_MS }, (response) => {
    response.resume();
    const status = response.statusCode ?? 0;
    done(status >= 200 && status < 300, `${target.pathname} answered ${status}`);
  });
  request.once('timeout', () => request.destroy(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)));
  request.once('error', (error) => done(false, error.message));
}

const explicit = process.env.HEALTHCHECK_URL;
const opsPort = process.env.OPS_PORT || process.argv[2];
if (explicit) {
  const target = new URL(explicit);
  if (target.protocol === 'tcp:') probeTcp(target);
  else if (target.protocol === 'http:') probeHttp(target);
  else done(false, `HEALTHCHECK_URL must be http:// or tcp:// (got ${target.protocol})`);
} else if (opsPort) {
  probeHttp(new URL(`http://127.0.0.1:${opsPort}/health/ready`));
} else {
  done(true);
}
