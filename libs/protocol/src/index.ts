/**
 * `@pos-link/protocol`: pos-link's wire formats and their validation (DESIGN §3–§6). Plain
 * TypeScript — no Nest, no I/O. Every export is listed by name (STYLE 2); see README.md.
 */

// Errors (the one registry).
export { PROTOCOL_ERROR_CODES, ProtocolError, PesEnvelopeError, isProtocolError } from './errors';
export type { ProtocolErrorCode } from './errors';

// DTO tooling.
export { NestedDto } from './dto/nested-dto';
export type { DtoClass } from './dto/nested-dto';
export { compileDtoValidator } from './dto/compile-validator';
export type { CompiledDtoValidator } from './dto/compile-validator';

// PES: limits, framing, envelope, nacks, events (DESIGN §6).
export {
  PES_FRAME_HEADER_BYTES,
  PES_MAX_FRAME_BYTES_DEFAULT,
  PES_FRAME_LENGTH_MAX,
  PES_PARTIAL_BODY_INITIAL_BYTES,
  PES_MSG_ID_MAX_LENGTH,
  PES_MSG_TYPE_MAX_LENGTH,
  PES_LABEL_MAX_LENGTH,
  PES_ORDER_ID_MAX_LENGTH,
  PES_ITEM_NAME_MAX_LENGTH,
  PES_ITEM_QTY_MAX,
  PES_ORDER_ITEMS_MAX,
  PES_EVENT_TEXT_MAX_LENGTH,
} from './pes/limits';
export { PesFrameDecoder, PesFrameDecoderState } from './pes/frame-decoder';
export type { PesFrameDecoderOptions } from './pes/frame-decoder';
export { encodePesFrame } from './pes/frame-encoder';
export { PesEnvelope, PES_MSG_RESP_VALUES } from './pes/envelope.dto';
export type { PesEnvelopeInit, PesMsgResp } from './pes/envelope.dto';
export { parsePesFrame, encodePesEnvelope } from './pes/envelope';
export { PES_NACK_CODES, pesNackBody } from './pes/nack-codes';
export type { PesNackCode, PesNackCodeInfo, PesNackName } from './pes/nack-codes';
export {
  PesOrderItem,
  PesItemRef,
  PesOrderEvent,
  PesCreateOrderEvent,
  PesAddItemEvent,
  PesRemoveItemEvent,
  PesUpdateOrderEvent,
  PesTenderEvent,
  PesCloseOrderEvent,
  PesVoidOrderEvent,
  PES_EVENT_DTOS,
} from './pes/events.dto';
export type { PesKnownEventType } from './pes/events.dto';
export {
  PES_KNOWN_EVENT_TYPES,
  PES_EVENT_NOT_OBJECT,
  isPesKnownEventType,
  validatePesEvent,
} from './pes/event-validator';
export type { PesEventValidation } from './pes/event-validator';

// ALE (DESIGN §3/§4).
export { ALE_HEADERS, ALE_HEADER_PREFIX } from './ale/headers';
export type { AleHeaderName } from './ale/headers';
export {
  ALE_ERROR_CODES,
  ALE_ERROR_STATUS,
  ALE_ERROR_CONTENT_TYPE,
  ALE_ERROR_BODIES,
  GATEWAY_ERROR_BODIES,
} from './ale/error-bodies';
export type { AleErrorCode, GatewayErrorBody, GatewayErrorName } from './ale/error-bodies';
export { parseAleTimestamp, isAleTimestamp } from './ale/timestamp';
export { parseAleWsEnvelope, buildAleWsEnvelope } from './ale/ws-envelope';
export type { AleWsEnvelope, AleWsEnvelopeInit } from './ale/ws-envelope';
export { ALE_WS_CLOSE_CODES } from './ale/ws-close-codes';
export type { AleWsClose, AleWsCloseName } from './ale/ws-close-codes';

// SCI (DESIGN §5).
export { SCI_ROOTS, SCI_MAX_DOCUMENT_BYTES_DEFAULT } from './sci/document';
export type { SciDocument, SciRoot } from './sci/document';
export { parseSciDocument } from './sci/parse';
export type { SciParseOptions } from './sci/parse';
export { buildSciXml } from './sci/build';
export { sciCommandOf, sciCommandKind, SCI_SECONDARY_FUNCTION_TYPE } from './sci/command';
export type { SciCommand, SciCommandKind } from './sci/command';
