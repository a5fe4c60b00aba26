import { validateSync } from 'class-validator';
import type { ConfigClass } from './load-config';
import { getEnvVarSpecs, type EnvVarKind } from './env-var';

/** One row of the configuration table (`docs/configuration.md`, `--print-config`). */
export interface ConfigRow {
  readonly name: string;
  readonly kind: EnvVarKind;
  /** The default as the variable's text (`''` when there is none); secrets never show one. */
  readonly default: string;
  /** Must be set: there is no default and the validators refuse an unset value. */
  readonly required: boolean;
  readonly doc: string;
  readonly secret: boolean;
}

function render(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.join(',');
  return String(value);
}

/**
 * Describes a config class from its declarations alone (no environment is read): one row per
 * `@EnvVar`, in declaration order, base class first.
 */
export function describeConfig<T extends object>(configClass: ConfigClass<T>): ConfigRow[] {
  const defaults = new configClass() as Record<string, unknown>;
  const failing = new Set(validateSync(defaults).map((e) => e.property));
  return getEnvVarSpecs(configClass).map((spec) => ({
    name: spec.name,
    kind: spec.kind,
    default: spec.secret ? '' : render(defaults[spec.property]),
    required: defaults[spec.property] === undefined && failing.has(spec.property),
    doc: spec.doc,
    secret: spec.secret,
  }));
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** Renders rows as a Markdown table: variable, type, default, meaning. */
export function renderConfigMarkdown(rows: readonly ConfigRow[]): string {
  const lines = ['| variable | type | default | meaning |', '|---|---|---|---|'];
  for (const row of rows) {
    const def = row.required ? '**required**' : row.default === '' ? '—' : `\`${cell(row.default)}\``;
    const doc = row.secret ? `${row.doc} *(secret)*` : row.doc;
    lines.push(`| \`${row.name}\` | ${row.kind} | ${def} | ${cell(doc)} |`);
  }
  return `${lines.join('\n')}\n`;
}

/** Renders rows as a `.env` template: each variable with its doc as a comment, defaults commented out. */
export function renderEnvTemplate(rows: readonly ConfigRow[]): string {
  return rows
    .map((row) => {
      const head = `# ${row.doc}${row.secret ? ' (secret)' : ''}${row.required ? ' (required)' : ''}`;
      const line = row.required ? `${row.name}=` : `# ${row.name}=${row.default}`;
      return `${head}\n${line}\n`;
    })
    .join('\n');
}
