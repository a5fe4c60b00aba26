/**
 * Classifying SCI requests for the terminal relay (DESIGN §5): one outstanding primary request per
 * device; secondary-port commands (`FUNCTION_TYPE` `SECONDARYPORT`: status, cancel, …) may pass
 * alongside; `SESSION`/`START` opens a session that the POS owns until `SESSION`/`FINISH`.
 */
import { ProtocolError } from '../errors';
import type { SciDocument } from './document';

/** What a TRANSACTION asks for, upper-cased. */
export interface SciCommand {
  /** `FUNCTION_TYPE`, e.g. `SESSION`, `PAYMENT`, `SECONDARYPORT`. */
  readonly functionType: string;
  /** `COMMAND`, e.g. `START`, `CAPTURE`, `CANCEL`. */
  readonly command: string;
}

/** How the relay treats a command. */
export type SciCommandKind = 'session-start' | 'session-finish' | 'secondary' | 'primary';

/** `FUNCTION_TYPE` of the secondary port's commands (SCA: "Secondary Port Transactions"). */
export const SCI_SECONDARY_FUNCTION_TYPE = 'SECONDARYPORT';

/**
 * The command of a TRANSACTION.
 * @throws ProtocolError `ERR_SCI_COMMAND_MISSING` for a RESPONSE or a TRANSACTION without a
 *   non-empty `FUNCTION_TYPE` and `COMMAND`
 */
export function sciCommandOf(doc: SciDocument): SciCommand {
  const functionType = doc.fields['FUNCTION_TYPE'];
  const command = doc.fields['COMMAND'];
  if (doc.root !== 'TRANSACTION' || !functionType || !command) throw new ProtocolError('ERR_SCI_COMMAND_MISSING');
  return { functionType: functionType.toUpperCase(), command: command.toUpperCase() };
}

/** Classifies a command for the relay's ownership and concurrency rules (DESIGN §5). */
export function sciCommandKind(command: SciCommand): SciCommandKind {
  if (command.functionType === 'SESSION' && command.command === 'START') return 'session-start';
  if (command.functionType === 'SESSION' && command.command === 'FINISH') return 'session-finish';
  if (command.functionType === SCI_SECONDARY_FUNCTION_TYPE) return 'secondary';
  return 'primary';
}
