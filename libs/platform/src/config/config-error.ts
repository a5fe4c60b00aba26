import { PlatformError } from '../errors/platform-error';
import { PLATFORM_ERROR_CODES } from '../errors/platform-error-codes';

/** One invalid or missing variable. */
export interface ConfigIssue {
  /** The environment variable (or, for a cross-field rule, the property) at fault. */
  readonly name: string;
  /** The full line shown to the operator, e.g. `HTTP_PORT: must be an integer 0..65535 (got "abc")`. */
  readonly message: string;
}

/**
 * Thrown by `loadConfig` when any variable is missing or invalid (code `ERR_PLATFORM_CONFIG_INVALID`).
 * The message lists EVERY issue, one per line, so an operator fixes them in one go (DESIGN §8);
 * values of variables marked `secret` are never shown.
 */
export class ConfigError extends PlatformError {
  /** Every problem found, in declaration order. */
  readonly issues: readonly ConfigIssue[];

  /**
   * @param configName the config class's name, for the heading
   * @param issues at least one issue
   */
  constructor(configName: string, issues: readonly ConfigIssue[]) {
    const lines = issues.map((issue) => `  ${issue.message}`).join('\n');
    super(
      PLATFORM_ERROR_CODES.ERR_PLATFORM_CONFIG_INVALID,
      `invalid configuration (${configName}), ${issues.length} problem${issues.length === 1 ? '' : 's'}:\n${lines}`,
    );
    this.name = 'ConfigError';
    this.issues = issues;
  }
}
