import { validateSync, type ValidationError } from 'class-validator';
import { ConfigError, type ConfigIssue } from './config-error';
import { convertEnvValue, type Conversion } from './env-convert';
import { getEnvVarSpecs, type EnvVarSpec } from './env-var';

/** A config class: decorated properties with defaults as initializers, constructible without arguments. */
export type ConfigClass<T extends object> = new () => T;

/** Options of `loadConfig`. */
export interface LoadConfigOptions {
  /**
   * Variables that may stay unset in this run although the class requires them; the property is
   * then `undefined`. The standalone process passes `REDIS_URL` here: unset means in-memory mode
   * (DESIGN §1, §8), while an app running on its own must have it.
   */
  readonly allowUnset?: readonly string[];
}

/** Longest excerpt of a bad value quoted in an error, so a pasted file does not flood the terminal. */
const MAX_QUOTED_CHARS = 80;

function quote(raw: string): string {
  const text = raw.length > MAX_QUOTED_CHARS ? `${raw.slice(0, MAX_QUOTED_CHARS)}…` : raw;
  return JSON.stringify(text);
}

/** class-validator prefixes its default messages with the property name; the line names the variable instead. */
function messagesOf(error: ValidationError | undefined): string[] {
  if (!error?.constraints) return [];
  return Object.values(error.constraints).map((m) =>
    m.startsWith(`${error.property} `) ? m.slice(error.property.length + 1) : m,
  );
}

function describeIssue(spec: EnvVarSpec, raw: string | undefined, problems: readonly string[]): ConfigIssue {
  if (raw === undefined) return { name: spec.name, message: `${spec.name}: is required (not set)` };
  let text = problems.join('; ');
  if (spec.secret) {
    // Belt and braces: a custom validator message could interpolate the value.
    text = text.split(raw).join('***');
    return { name: spec.name, message: `${spec.name}: ${text} (value not shown: secret)` };
  }
  return { name: spec.name, message: `${spec.name}: ${text} (got ${quote(raw)})` };
}

function freeze<T extends object>(config: T): T {
  for (const value of Object.values(config)) if (Array.isArray(value)) Object.freeze(value);
  return Object.freeze(config);
}

/**
 * Reads, converts and validates a config class from the environment, once, at boot (DESIGN §7/§8,
 * STYLE 6). Unset or empty variables keep the property's initializer (its default). Returns a
 * frozen instance; throws `ConfigError` naming every bad variable. Variables not declared with
 * `@EnvVar` are ignored (the environment is shared with everything else in the container).
 */
export function loadConfig<T extends object>(
  configClass: ConfigClass<T>,
  env: NodeJS.ProcessEnv = process.env,
  options: LoadConfigOptions = {},
): T {
  const specs = getEnvVarSpecs(configClass);
  const config = new configClass();
  const target = config as Record<string, unknown>;
  const raws = new Map<string, string>();
  const conversions = new Map<string, Conversion>();

  for (const spec of specs) {
    const raw = env[spec.name];
    if (raw === undefined || raw === '') continue;
    const conversion = convertEnvValue(spec.kind, raw);
    raws.set(spec.property, raw);
    conversions.set(spec.property, conversion);
    target[spec.property] = conversion.value;
  }

  const errors = new Map(
    validateSync(config, { validationError: { target: false, value: false } }).map((e) => [e.property, e]),
  );
  const allowUnset = new Set(options.allowUnset ?? []);
  const issues: ConfigIssue[] = [];

  for (const spec of specs) {
    const error = errors.get(spec.property);
    errors.delete(spec.property);
    const conversion = conversions.get(spec.property);
    const unset = target[spec.property] === undefined;
    if (unset && allowUnset.has(spec.name)) continue;
    const problems = messagesOf(error);
    if (conversion && !conversion.ok && problems.length === 0) problems.push(conversion.problem);
    if (problems.length > 0 || (unset && error)) {
      issues.push(describeIssue(spec, unset ? undefined : raws.get(spec.property), problems));
    }
  }
  // Rules on properties that are not variables themselves (cross-field checks).
  for (const error of errors.values()) {
    for (const message of messagesOf(error)) issues.push({ name: error.property, message: `${error.property}: ${message}` });
  }
  if (issues.length > 0) throw new ConfigError(configClass.name, issues);
  return freeze(config);
}
