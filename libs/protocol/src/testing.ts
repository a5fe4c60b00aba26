/**
 * `@pos-link/protocol/testing`: helpers for tests of this lib and its consumers. Not for production
 * code (STYLE 2).
 */
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import type { DtoClass } from './dto/nested-dto';

/**
 * The reference path: `plainToInstance` + `validateSync` with default options, flattened to the
 * compiled validator's `"<path>: <constraint>"` form and sorted. Tests compare it with
 * `compileDtoValidator` / `validatePesEvent` to prove the fast path mirrors the DTO.
 */
export function classValidatorViolations(cls: DtoClass, value: object): string[] {
  const out: string[] = [];
  const walk = (errors: ValidationError[], prefix: string): void => {
    for (const error of errors) {
      const path = prefix === '' ? error.property : `${prefix}.${error.property}`;
      for (const constraint of Object.keys(error.constraints ?? {})) out.push(`${path}: ${constraint}`);
      walk(error.children ?? [], path);
    }
  };
  walk(validateSync(plainToInstance(cls, value)), '');
  return out.sort();
}

/**
 * Cuts `buffer` at the given offsets (out-of-range and repeated cuts ignored) — for feeding a
 * stream decoder the same bytes in different chunkings.
 */
export function chunkAt(buffer: Buffer, cuts: readonly number[]): Buffer[] {
  const points = [...new Set(cuts.filter((c) => c > 0 && c < buffer.length))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let start = 0;
  for (const point of [...points, buffer.length]) {
    chunks.push(buffer.subarray(start, point));
    start = point;
  }
  return chunks;
}

/** Seed 002's example request (POS → terminal), verbatim. */
export const SCI_SEED_TRANSACTION = `<TRANSACTION>
  <FUNCTION_TYPE>SESSION</FUNCTION_TYPE>
  <COMMAND>START</COMMAND>
  <BUSINESSDATE>20210709</BUSINESSDATE>
  <SWIPE_AHEAD>1</SWIPE_AHEAD>
  <TRAINING_MODE>0</TRAINING_MODE>
  <INVOICE>123456</INVOICE>
</TRANSACTION>`;

/** Seed 002's example response (terminal → POS), verbatim. */
export const SCI_SEED_RESPONSE = `<RESPONSE>
  <RESPONSE_TEXT>Session Started</RESPONSE_TEXT>
  <RESULT>OK</RESULT>
  <RESULT_CODE>-1</RESULT_CODE>
  <TERMINATION_STATUS>SUCCESS</TERMINATION_STATUS>
  <TRAINING_MODE>OFF</TRAINING_MODE>
</RESPONSE>`;
