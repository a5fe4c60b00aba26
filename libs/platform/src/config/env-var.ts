import 'reflect-metadata';

/**
 * `@EnvVar` — metadata only (STYLE anti-pattern 4): it records which environment variable feeds a
 * config property, how the text is converted, and the doc string for `docs/configuration.md`. It
 * reads nothing and validates nothing; `loadConfig` does, explicitly, with class-validator.
 */

/**
 * How the text of a variable becomes a value:
 * - `string`: as is;
 * - `integer` / `number`: decimal literal (`integer` accepts no fraction or exponent);
 * - `boolean`: `true` or `false` (any letter case);
 * - `list`: comma-separated, items trimmed, empty items dropped (`a, b,` → `["a","b"]`);
 * - `url`: trimmed text that WHATWG `URL` can parse, kept as the string (so `{site}` placeholders
 *   in a path survive; a `URL` object would percent-encode them).
 */
export type EnvVarKind = 'string' | 'integer' | 'number' | 'boolean' | 'list' | 'url';

/** Options of `@EnvVar`. */
export interface EnvVarOptions {
  /** The environment variable name, e.g. `HTTP_PORT`. */
  readonly name: string;
  /** One sentence for the configuration table. */
  readonly doc: string;
  /** A secret: its value never appears in an error, a log line or `describeConfig`'s default column. */
  readonly secret?: true;
  /**
   * Conversion. When omitted it is inferred from the property's annotated TypeScript type (`string`,
   * `number`, `boolean`, arrays), else from the type of its default value; a property with neither
   * needs an explicit kind.
   */
  readonly kind?: EnvVarKind;
}

/** What `@EnvVar` records for one property. */
export interface EnvVarSpec {
  readonly property: string;
  readonly name: string;
  readonly doc: string;
  readonly secret: boolean;
  readonly kind: EnvVarKind;
}

const ENV_VARS = Symbol('pos-link:env-vars');

/** Maps the `design:type` metadata TypeScript emits for an annotated property to a conversion. */
function kindOfDesignType(designType: unknown): EnvVarKind | undefined {
  if (designType === String) return 'string';
  if (designType === Number) return 'number';
  if (designType === Boolean) return 'boolean';
  if (designType === Array) return 'list';
  return undefined;
}

/** Maps a default value to a conversion (for unannotated properties such as `opsHost = '0.0.0.0'`). */
function kindOfValue(value: unknown): EnvVarKind | undefined {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'boolean';
  if (Array.isArray(value)) return 'list';
  return undefined;
}

/** What the decorator stores; the kind may still be unknown until the class's defaults are seen. */
type PendingSpec = Omit<EnvVarSpec, 'kind'> & { readonly kind: EnvVarKind | undefined };

/**
 * Declares that a config property is read from an environment variable.
 *
 * @example
 * class GatewayConfig {
 *   @EnvVar({ name: 'HTTP_PORT', doc: 'Public HTTP/WebSocket port.', kind: 'integer' })
 *   @IsPort()
 *   httpPort = 8080;
 * }
 */
export function EnvVar(options: EnvVarOptions): PropertyDecorator {
  if (!/^[A-Z][A-Z0-9_]*$/.test(options.name)) {
    throw new TypeError(`@EnvVar name must be UPPER_SNAKE_CASE, got ${JSON.stringify(options.name)}`);
  }
  return (target, propertyKey) => {
    if (typeof propertyKey !== 'string') throw new TypeError('@EnvVar needs a string property name');
    const kind = options.kind ?? kindOfDesignType(Reflect.getMetadata('design:type', target, propertyKey));
    const own: PendingSpec[] = Reflect.getOwnMetadata(ENV_VARS, target) ?? [];
    const spec: PendingSpec = {
      property: propertyKey,
      name: options.name,
      doc: options.doc,
      secret: options.secret === true,
      kind,
    };
    Reflect.defineMetadata(ENV_VARS, [...own, spec], target);
  };
}

/**
 * Every `@EnvVar` of a config class, base classes first, in declaration order. A subclass may
 * redeclare a property (to change its default) without repeating the decorator.
 * Throws `TypeError` when the class declares none or two properties claim the same name.
 */
export function getEnvVarSpecs(configClass: new () => object): readonly EnvVarSpec[] {
  const chain: object[] = [];
  for (let proto = configClass.prototype; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    chain.unshift(proto);
  }
  const pending: PendingSpec[] = chain.flatMap((proto) => Reflect.getOwnMetadata(ENV_VARS, proto) ?? []);
  if (pending.length === 0) throw new TypeError(`${configClass.name} declares no @EnvVar properties`);
  const defaults = new configClass() as Record<string, unknown>;
  const seen = new Set<string>();
  return pending.map((spec) => {
    if (seen.has(spec.name)) throw new TypeError(`${configClass.name}: ${spec.name} is declared twice`);
    seen.add(spec.name);
    const kind = spec.kind ?? kindOfValue(defaults[spec.property]);
    if (kind === undefined) {
      throw new TypeError(`${configClass.name}: @EnvVar(${spec.name}) on "${spec.property}" needs an explicit kind`);
    }
    return { ...spec, kind };
  });
}
