/**
 * What the relay hands back for one POS request, and the checks a request passes before it may reach a
 * terminal (DESIGN §5): the safe parse of `@pos-link/protocol` (size cap first, no DTD, well-formed, one
 * `TRANSACTION`/`RESPONSE` root) and the command classification that drives the relay rules.
 */
import {
  isProtocolError,
  parseSciDocument,
  sciCommandKind,
  sciCommandOf,
  type ProtocolErrorCode,
  type SciCommand,
  type SciCommandKind,
} from '@pos-link/protocol';
import { SYNTHESIZED_RESPONSES, type SynthesizedName } from './synthesized-responses';

/** HTTP status of a document the terminal itself answered. */
export const DEVICE_ANSWER_STATUS = 200;

/** The answer to one POS request: the terminal's `<RESPONSE>` verbatim, or a synthesized one. */
export interface RelayAnswer {
  /** The `<RESPONSE>` document. */
  readonly xml: string;
  /** HTTP status on the HTTP route: 200 for the terminal's answer, the table's status for a synthesized one. */
  readonly httpStatus: number;
  /** Which synthesized answer this is; `undefined` when the terminal answered. */
  readonly synthesized: SynthesizedName | undefined;
}

/** The terminal's own answer. */
export function deviceAnswer(xml: string): RelayAnswer {
  return { xml, httpStatus: DEVICE_ANSWER_STATUS, synthesized: undefined };
}

/** A synthesized answer (built once per name, so this allocates only the wrapper). */
export function synthesizedAnswer(name: SynthesizedName): RelayAnswer {
  const response = SYNTHESIZED_RESPONSES[name];
  return { xml: response.xml, httpStatus: response.httpStatus, synthesized: name };
}

/** A request that passed the checks. */
export interface ClassifiedRequest {
  /** `FUNCTION_TYPE`/`COMMAND`, upper-cased. */
  readonly command: SciCommand;
  /** How the relay rules treat it. */
  readonly kind: SciCommandKind;
}

/** Which synthesized answer a refused request gets, by the parser's code. */
const REFUSAL_OF: Readonly<Partial<Record<ProtocolErrorCode, SynthesizedName>>> = Object.freeze({
  ERR_SCI_TOO_LARGE: 'REQUEST_TOO_LARGE',
  ERR_SCI_DTD_FORBIDDEN: 'REQUEST_DTD_FORBIDDEN',
});

/**
 * Checks and classifies one POS request.
 * @param maxBytes `RELAY_MAX_XML_BYTES`
 * @returns the classification, or the name of the synthesized answer that refuses it
 */
export function classifyRequest(xml: string, maxBytes: number): ClassifiedRequest | SynthesizedName {
  try {
    const command = sciCommandOf(parseSciDocument(xml, { maxBytes }));
    return { command, kind: sciCommandKind(command) };
  } catch (error) {
    if (!isProtocolError(error)) throw error;
    return REFUSAL_OF[error.code] ?? 'REQUEST_INVALID';
  }
}
