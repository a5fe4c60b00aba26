/**
 * Which outstanding request a terminal's `<RESPONSE>` answers. SCI carries no request id (seed 002), and
 * the relay lets at most one primary and one secondary request be outstanding per terminal
 * (`DeviceGate`), so the choice is between at most two:
 *
 * 1. one outstanding request → that one;
 * 2. both outstanding, and the answer's `COMMAND` field equals the `COMMAND` of exactly one of them →
 *    that one (SCA echoes `COMMAND` in payment answers);
 * 3. otherwise the secondary: SCA serves secondary-port commands (status, cancel) at once while the
 *    primary waits on the cardholder, so an uncorrelated answer in that window is the secondary's.
 *
 * An answer that cannot be read (`doc` undefined) follows the same rules without step 2.
 */
import type { SciDocument } from '@pos-link/protocol';
import type { DeviceSlot } from './device-gate';

/** An outstanding request as matching sees it. */
export interface OutstandingCommand {
  /** Its `COMMAND`, upper-cased. */
  readonly command: string;
}

/**
 * @param doc the parsed answer, or undefined when it did not parse
 * @param outstanding the outstanding requests by slot
 * @returns the slot answered, or undefined when nothing is outstanding
 */
export function matchResponse(
  doc: SciDocument | undefined,
  outstanding: Readonly<Partial<Record<DeviceSlot, OutstandingCommand>>>,
): DeviceSlot | undefined {
  const { primary, secondary } = outstanding;
  if (primary === undefined) return secondary === undefined ? undefined : 'secondary';
  if (secondary === undefined) return 'primary';
  const echoed = doc?.fields['COMMAND']?.toUpperCase();
  if (echoed !== undefined && echoed !== secondary.command && echoed === primary.command) return 'primary';
  return 'secondary';
}
