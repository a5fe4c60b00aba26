import { PES_MSG_ID_MAX_LENGTH, PES_MSG_TYPE_MAX_LENGTH } from '@pos-link/protocol';

/**
 * Whether a response can echo `msgId` and `msgType` (DESIGN §6: responses echo both, and both are
 * bound into the nack's AAD). An envelope whose id or type is empty or over the protocol's caps is
 * refused by the envelope DTO, so it cannot be echoed in a valid response: such a frame "cannot be
 * answered" and its connection is closed instead of nacked.
 */
export function canEcho(msgId: string, msgType: string): boolean {
  return (
    msgId.length > 0 &&
    msgId.length <= PES_MSG_ID_MAX_LENGTH &&
    msgType.length > 0 &&
    msgType.length <= PES_MSG_TYPE_MAX_LENGTH
  );
}
