/**
 * The `ale` command line (issue 4): encrypt, decrypt and send ALE requests — for POS integrators and
 * operators. `main(argv, io)` is the whole program; the bottom of the file runs it on the real process.
 */
import { EXIT, CliUsageError, type CliIo } from './cli-io';
import { DECRYPT_USAGE, ENCRYPT_USAGE, SEND_USAGE, runDecrypt, runEncrypt, runSend } from './cli-commands';
import { isAleClientError } from './errors';

/** `ale --help`. */
export const USAGE = `ale — Application Level Encryption (ALE) client for the pos-link secure gateway

Usage: ale <command> [options]

Commands:
  encrypt   encrypt a payload and print the security headers and body
  decrypt   decrypt a payload and print the plaintext
  send      encrypt a request, send it, decrypt and print the answer

Run "ale <command> --help" for a command's options.

Exit codes:
  0  done (send: the gateway answered with a status below 400)
  1  the other side said no: the gateway answered 400 or more, an answer or input did not decrypt,
     the Portal failed or lists no usable key, the network failed
  2  usage: unknown command or flag, a required flag missing, a malformed value
`;

const COMMANDS = Object.freeze({
  encrypt: { run: runEncrypt, usage: ENCRYPT_USAGE },
  decrypt: { run: runDecrypt, usage: DECRYPT_USAGE },
  send: { run: runSend, usage: SEND_USAGE },
});

/** Errors that mean "wrong usage": ours, parseArgs' (`ERR_PARSE_ARGS_*`) and TypeErrors from option checks. */
function isUsageError(error: unknown): error is Error {
  if (error instanceof CliUsageError) return true;
  // Duck-typed, not instanceof: Node's own errors (parseArgs) come from another realm under test runners.
  return typeof error === 'object' && error !== null && (error as Error).name === 'TypeError' && typeof (error as Error).message === 'string';
}

/**
 * Runs the CLI.
 * @returns the exit code (0 ok, 1 the other side said no, 2 usage)
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    (command === undefined ? io.stderr : io.stdout).write(USAGE);
    return command === undefined ? EXIT.USAGE : EXIT.OK;
  }
  const entry = Object.hasOwn(COMMANDS, command) ? COMMANDS[command as keyof typeof COMMANDS] : undefined;
  try {
    if (entry === undefined) throw new CliUsageError(`unknown command ${JSON.stringify(command)}`);
    return await entry.run(rest, io);
  } catch (error) {
    if (isUsageError(error)) {
      io.stderr.write(`ale: ${error.message}\nRun "ale ${entry === undefined ? '' : `${command} `}--help" for usage.\n`);
      return EXIT.USAGE;
    }
    if (isAleClientError(error)) {
      const facts = [error.status === undefined ? '' : ` (status ${error.status})`, error.reason === undefined ? '' : ` [${error.reason}]`];
      io.stderr.write(`ale: ${error.code}: ${error.message}${facts.join('')}\n${error.body === undefined ? '' : `${error.body}\n`}`);
      return EXIT.FAILED;
    }
    io.stderr.write(`ale: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.FAILED;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env }).then(
    (code) => {
      process.exitCode = code;
    },
  );
}
