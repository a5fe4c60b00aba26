import { loadVectors } from '@pos-link/crypto/testing';
import { memoryIo } from '../test/support/cli-io';
import { main, USAGE } from './cli';
import { DECRYPT_USAGE, ENCRYPT_USAGE, SEND_USAGE } from './cli-commands';

const { ale } = loadVectors();
const v0 = ale[0]!; // GCM, key "secret", no timestamp
const v2 = ale[2]!; // GCM with a timestamp, empty plaintext

describe('ale CLI main(argv, io)', () => {
  it.each([
    [['--help'], USAGE],
    [['help'], USAGE],
    [['encrypt', '--help'], ENCRYPT_USAGE],
    [['decrypt', '-h'], DECRYPT_USAGE],
    [['send', '--help'], SEND_USAGE],
  ])('%j prints its usage and exits 0', async (argv, usage) => {
    const io = memoryIo();
    expect(await main(argv, io)).toBe(0);
    expect(io.out()).toBe(usage);
  });

  it('documents the exit codes in --help', () => {
    expect(USAGE).toMatch(/0 {2}done/);
    expect(USAGE).toMatch(/1 {2}the other side said no/);
    expect(USAGE).toMatch(/2 {2}usage/);
  });

  it('prints the usage to stderr and exits 2 without a command', async () => {
    const io = memoryIo();
    expect(await main([], io)).toBe(2);
    expect(io.err()).toBe(USAGE);
  });

  it.each([
    [['frobnicate'], 'unknown command "frobnicate"'],
    [['encrypt', '--nope'], "Unknown option '--nope'"],
    [['encrypt', '--data', 'x'], 'no key'],
    [['encrypt', '--key-value', 'secret', '--data', 'x'], '--fingerprint (or ALE_FINGERPRINT) is required'],
    [['encrypt', '--key-value', 'secret', '--fingerprint', 'f', '--suite', 'des', '--data', 'x'], '--suite must be'],
    [['encrypt', '--key-value', 'secret', '--fingerprint', 'f', '--iv', 'short', '--data', 'x'], 'iv must be'],
    [['decrypt', '--key-value', 'secret', '--fingerprint', 'f', '--data', 'x'], '--iv is required'],
    [['send', '--key-value', 'secret', '--fingerprint', 'f'], '--url is required'],
    [['send', '--key-value', 'secret', '--fingerprint', 'f', '--url', 'ftp://x/'], '--url must be an http(s) URL'],
    [['send', '--key-value', 'k', '--fingerprint', 'f', '--url', 'http://x/', '--header', 'bad'], '--header must be'],
    [['encrypt', '--portal', 'http://127.0.0.1:1', '--data', 'x'], '--site is required with --portal'],
  ])('%j is a usage error: exit 2 with a message', async (argv, message) => {
    const io = memoryIo();
    expect(await main(argv, io)).toBe(2);
    expect(io.err()).toContain(message);
    expect(io.err()).toContain('--help" for usage');
    expect(io.out()).toBe('');
  });

  it('encrypt prints the headers, a blank line and the body (vector ale[0] with its IV)', async () => {
    const io = memoryIo();
    const code = await main(['encrypt', '--key-value', v0.keyValue, '--fingerprint', v0.fingerprint, '--iv', v0.iv, '--data', Buffer.from(v0.plaintextB64, 'base64').toString()], io);
    expect(code).toBe(0);
    expect(io.out()).toBe(`sec-fingerprint: ${v0.fingerprint}\nsec-iv: ${v0.iv}\nsec-alg: aes-256-gcm\n\n${v0.ciphertext}\n`);
  });

  it('encrypt reads the key from ALE_KEY_VALUE/ALE_FINGERPRINT and the payload from stdin; --json; --timestamp-ms', async () => {
    const io = memoryIo({ env: { ALE_KEY_VALUE: v2.keyValue, ALE_FINGERPRINT: v2.fingerprint }, stdin: '' });
    expect(await main(['encrypt', '--iv', v2.ivHex, '--timestamp-ms', v2.timestamp!, '--json'], io)).toBe(0);
    expect(JSON.parse(io.out())).toEqual({
      headers: { 'sec-fingerprint': v2.fingerprint, 'sec-iv': v2.iv, 'sec-alg': 'aes-256-gcm', 'sec-timestamp': v2.timestamp },
      body: v2.ciphertext,
    });
  });

  it('encrypt --timestamp binds now', async () => {
    const io = memoryIo({ now: () => 1767225600042 });
    expect(await main(['encrypt', '--key-value', 'secret', '--fingerprint', 'fp', '--timestamp', '--data', '{}'], io)).toBe(0);
    expect(io.out()).toContain('sec-timestamp: 1767225600042\n');
  });

  it.each(ale.map((v, i) => [i, v] as const))('decrypt prints the exact plaintext of vector ale[%i]', async (_i, v) => {
    const io = memoryIo({ stdin: `${v.ciphertext}\n` });
    const argv = ['decrypt', '--key-value', v.keyValue, '--fingerprint', v.fingerprint, '--iv', v.iv, '--suite', v.suite];
    if (v.timestamp !== null) argv.push('--timestamp-ms', v.timestamp);
    expect(await main(argv, io)).toBe(0);
    expect(io.outBytes().equals(Buffer.from(v.plaintextB64, 'base64'))).toBe(true);
  });

  it('decrypt of a ciphertext under another key exits 1 with ERR_ALE_CLIENT_DECRYPT_FAILED', async () => {
    const io = memoryIo();
    expect(await main(['decrypt', '--key-value', 'wrong', '--fingerprint', v0.fingerprint, '--iv', v0.iv, '--data', v0.ciphertext], io)).toBe(1);
    expect(io.err()).toBe('ale: ERR_ALE_CLIENT_DECRYPT_FAILED: Unable to decrypt\n');
    expect(io.out()).toBe('');
  });

  it('a Portal that cannot be reached exits 1 with ERR_ALE_CLIENT_PORTAL_UNAVAILABLE', async () => {
    const io = memoryIo({ env: { PORTAL_AUTH: 'token' } });
    expect(await main(['encrypt', '--portal', 'http://127.0.0.1:1', '--site', '1', '--data', 'x'], io)).toBe(1);
    expect(io.err()).toContain('ERR_ALE_CLIENT_PORTAL_UNAVAILABLE');
  });
});
