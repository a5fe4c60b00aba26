/**
 * One environment variable of an app, as its bundle prints it (`main.js --print-config=json`,
 * libs/platform `describeConfig`): the apps' config classes are the one definition of their
 * variables (STYLE 6), so the deployment files are checked against them, not against a copy.
 */
export interface AppVariable {
  readonly name: string;
  /** The default as text; `''` when there is none (and always for secrets). */
  readonly default: string;
  /** No default, and the app refuses to start without it. */
  readonly required: boolean;
  /** Never in a ConfigMap, a log line or a command line. */
  readonly secret: boolean;
}

function isRow(value: unknown): value is AppVariable {
  if (typeof value !== 'object' || value === null) return false;
  const row = value as Record<string, unknown>;
  return (
    typeof row['name'] === 'string' &&
    /^[A-Z][A-Z0-9_]*$/.test(row['name']) &&
    typeof row['default'] === 'string' &&
    typeof row['required'] === 'boolean' &&
    typeof row['secret'] === 'boolean'
  );
}

/**
 * Parses the JSON an app prints for `--print-config=json`. Throws when it is not a non-empty
 * array of rows with `name`, `default`, `required` and `secret` (e.g. the app does not
 * support the flag yet), quoting the start of what was printed.
 */
export function parseVariableTable(app: string, stdout: string): AppVariable[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch {
    throw new Error(`${app} --print-config=json did not print JSON: ${JSON.stringify(stdout.slice(0, 120))}`);
  }
  if (!Array.isArray(parsed) || parsed.length === 0 || !parsed.every(isRow)) {
    throw new Error(`${app} --print-config=json did not print a table of variables (name, default, required, secret)`);
  }
  return parsed.map(({ name, default: def, required, secret }) => ({ name, default: def, required, secret }));
}

/** The variables by name. */
export function variablesByName(rows: readonly AppVariable[]): Map<string, AppVariable> {
  return new Map(rows.map((row) => [row.name, row]));
}

/**
 * The value an app will run with: the environment's (non-empty, as loadConfig reads it) or the
 * declared default; `undefined` when neither exists.
 */
export function effectiveValue(rows: readonly AppVariable[], env: ReadonlyMap<string, string | undefined>, name: string): string | undefined {
  const set = env.get(name);
  if (set !== undefined && set !== '') return set;
  const row = rows.find((r) => r.name === name);
  return row && row.default !== '' ? row.default : undefined;
}
