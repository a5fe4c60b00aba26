import type { EnvVarKind } from './env-var';

/** The outcome of converting one variable's text: a value, or the raw text and why it failed. */
export type Conversion =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly value: string; readonly problem: string };

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;

/**
 * Converts the text of an environment variable per its kind (see `EnvVarKind`). A text that does
 * not convert is handed back unchanged with a `problem`: validation still runs on it, so the
 * property's own validators can give the more precise message (`must be an integer 0..65535`).
 */
export function convertEnvValue(kind: EnvVarKind, raw: string): Conversion {
  switch (kind) {
    case 'string':
      return { ok: true, value: raw };
    case 'integer': {
      const text = raw.trim();
      const n = Number(text);
      return INTEGER.test(text) && Number.isSafeInteger(n)
        ? { ok: true, value: n }
        : { ok: false, value: raw, problem: 'must be an integer' };
    }
    case 'number': {
      const text = raw.trim();
      return DECIMAL.test(text) && Number.isFinite(Number(text))
        ? { ok: true, value: Number(text) }
        : { ok: false, value: raw, problem: 'must be a number' };
    }
    case 'boolean': {
      const text = raw.trim().toLowerCase();
      if (text === 'true') return { ok: true, value: true };
      if (text === 'false') return { ok: true, value: false };
      return { ok: false, value: raw, problem: 'must be true or false' };
    }
    case 'list':
      return {
        ok: true,
        value: raw
          .split(',')
          .map((item) => item.trim())
          .filter((item) => item !== ''),
      };
    case 'url': {
      const text = raw.trim();
      return URL.canParse(text) ? { ok: true, value: text } : { ok: false, value: raw, problem: 'must be a URL' };
    }
  }
}
