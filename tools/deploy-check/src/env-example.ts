import type { AppVariable } from './app-variables';

/** One variable line of `.env.example`: `NAME=value`, or commented out as `# NAME=value`. */
export interface EnvExampleEntry {
  readonly value: string;
  /** `# NAME=…`: documents the default, not set. */
  readonly commented: boolean;
  readonly line: number;
}

const ENTRY = /^(#\s*)?([A-Z][A-Z0-9_]*)=(.*)$/;

/** Reads the variable lines of an env template (prose comments are skipped). */
export function parseEnvExample(text: string): Map<string, EnvExampleEntry> {
  const out = new Map<string, EnvExampleEntry>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const match = ENTRY.exec(raw.trim());
    if (match) out.set(match[2], { value: match[3], commented: match[1] !== undefined, line: i + 1 });
  });
  return out;
}

/** The variables a compose file interpolates (`${NAME}`, `${NAME:-x}`, `${NAME:?msg}`, `$NAME`). */
export function composeInterpolations(composeText: string): Set<string> {
  const names = new Set<string>();
  for (const match of composeText.matchAll(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)|([A-Za-z_][A-Za-z0-9_]*))/g)) names.add(match[1] ?? match[2]);
  return names;
}

/** Marks the demo values of `.env.example`, so a real secret pasted there stands out (and fails). */
const DEMO_MARK = /demo/i;

/**
 * What `.env.example` must be (issue 8: it "documents every variable"): every variable every
 * app declares and every variable docker-compose.yml interpolates has a line; a documented
 * default equals the app's own (when all apps declaring it agree on one); a set (uncommented)
 * secret is an obvious demo value.
 */
export function envExampleProblems(text: string, apps: ReadonlyMap<string, readonly AppVariable[]>, composeText: string): string[] {
  const entries = parseEnvExample(text);
  const problems: string[] = [];
  const byName = new Map<string, AppVariable[]>();
  for (const rows of apps.values()) for (const row of rows) byName.set(row.name, [...(byName.get(row.name) ?? []), row]);
  for (const [name, rows] of byName) {
    const entry = entries.get(name);
    if (!entry) {
      problems.push(`${name} is not documented`);
      continue;
    }
    const defaults = new Set(rows.map((r) => r.default));
    const [def] = defaults;
    if (entry.commented && defaults.size === 1 && def !== '' && entry.value !== def) {
      problems.push(`line ${entry.line}: ${name} documents ${JSON.stringify(entry.value)}, the default is ${JSON.stringify(def)}`);
    }
    if (rows.some((r) => r.secret) && !entry.commented && !DEMO_MARK.test(entry.value)) {
      problems.push(`line ${entry.line}: the secret ${name} holds a value that is not marked as a demo value`);
    }
  }
  for (const name of composeInterpolations(composeText)) {
    if (!entries.has(name)) problems.push(`${name} (interpolated by docker-compose.yml) is not documented`);
  }
  return problems;
}
