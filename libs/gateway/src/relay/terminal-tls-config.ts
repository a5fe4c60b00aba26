import { readFileSync } from 'node:fs';
import type { GatewayConfig } from '../gateway-config';
import type { TerminalTlsMaterial } from './terminal-tls-listener';

function readPem(variable: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    // Boot fails naming the variable (DESIGN §8); the file's contents never appear in the message.
    throw new TypeError(`${variable}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/**
 * The TLS material of the terminals' listener, read once at boot: undefined without `TLS_CERT`/`TLS_KEY`
 * (terminals then connect on the public port), with `ca` when `TERMINAL_TLS_CA` is set (mutual TLS).
 * @throws TypeError naming the variable whose file cannot be read
 */
export function readTerminalTls(config: Pick<GatewayConfig, 'tlsCert' | 'tlsKey' | 'terminalTlsCa'>): TerminalTlsMaterial | undefined {
  if (config.tlsCert === undefined || config.tlsKey === undefined) return undefined;
  return {
    cert: readPem('TLS_CERT', config.tlsCert),
    key: readPem('TLS_KEY', config.tlsKey),
    ca: config.terminalTlsCa === undefined ? undefined : readPem('TERMINAL_TLS_CA', config.terminalTlsCa),
  };
}
