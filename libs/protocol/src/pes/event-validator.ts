/**
 * Validation of decrypted PES event payloads (DESIGN §6): `msg_data` must be a JSON object; a known
 * `msg_type` must satisfy its DTO ({@link PES_EVENT_DTOS}); an unknown one is stored like a known one
 * (counted and logged by the ingress, not refused). Synchronous and allocation-light: the DTOs are
 * compiled once ({@link compileDtoValidator}) instead of being instantiated per event.
 */
import { compileDtoValidator, type CompiledDtoValidator } from '../dto/compile-validator';
import { PES_EVENT_DTOS, type PesKnownEventType } from './events.dto';

/** Result of {@link validatePesEvent}. */
export interface PesEventValidation {
  /** Whether `msg_type` is one of {@link PES_KNOWN_EVENT_TYPES}. */
  readonly known: boolean;
  /** Violations as `"<path>: <constraint>"`; empty = valid (nack code 3 otherwise). */
  readonly errors: string[];
}

/** The event `msg_type`s this version validates (frozen). */
export const PES_KNOWN_EVENT_TYPES: readonly PesKnownEventType[] = Object.freeze(
  Object.keys(PES_EVENT_DTOS) as PesKnownEventType[],
);

/** The violation reported when the payload is not a JSON object (any type, known or not). */
export const PES_EVENT_NOT_OBJECT = '(root): isObject';

const VALIDATORS: ReadonlyMap<string, CompiledDtoValidator> = new Map(
  PES_KNOWN_EVENT_TYPES.map((type) => [type, compileDtoValidator(PES_EVENT_DTOS[type])]),
);

/** True when `msgType` is a known event type. */
export function isPesKnownEventType(msgType: string): msgType is PesKnownEventType {
  return VALIDATORS.has(msgType);
}

/**
 * Validates a parsed event payload.
 * @param msgType the envelope's `msg_type`
 * @param value `JSON.parse` of the decrypted `msg_data`
 */
export function validatePesEvent(msgType: string, value: unknown): PesEventValidation {
  const validator = VALIDATORS.get(msgType);
  const known = validator !== undefined;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { known, errors: [PES_EVENT_NOT_OBJECT] };
  }
  const errors: string[] = [];
  if (validator !== undefined) validator(value as Record<string, unknown>, '', errors);
  return { known, errors };
}
