import { isGatewayError } from '../errors/gateway-error';
import { encodeRelayMessage, parseRelayMessage, type RelayMessage } from './relay-messages';

function code(text: string): string | undefined {
  try {
    parseRelayMessage(text);
  } catch (error) {
    return isGatewayError(error) ? error.code : String(error);
  }
  return undefined;
}

describe('relay messages', () => {
  it.each<RelayMessage>([
    { t: 'req', id: 'r.1', from: 'r', client: 'ws:r:1', site: '42', pinpad: '1', kind: 'primary', ft: 'PAYMENT', cmd: 'SALE', xml: '<TRANSACTION/>' },
    { t: 'req', id: 'r.2', from: 'r', client: 'c', site: '42', pinpad: '1', kind: 'secondary', ft: 'SECONDARYPORT', cmd: 'STATUS', xml: '<x/>' },
    { t: 'ack', id: 'r.1' },
    { t: 'res', id: 'r.1', xml: '<RESPONSE/>' },
    { t: 'res', id: 'r.1', syn: 'DEVICE_TIMEOUT' },
    { t: 'rel', client: 'ws:r:1' },
    { t: 'drop', site: '42', pinpad: '1', conn: 'r.3' },
  ])('round-trips %j', (message) => {
    expect(parseRelayMessage(encodeRelayMessage(message))).toEqual(message);
  });

  it.each([
    ['not JSON', 'nope'],
    ['an array', '[]'],
    ['an unknown type', '{"t":"zap","id":"1"}'],
    ['a request without xml', '{"t":"req","id":"1","from":"r","client":"c","site":"s","pinpad":"p","kind":"primary","ft":"A","cmd":"B"}'],
    ['a request with an unknown kind', '{"t":"req","id":"1","from":"r","client":"c","site":"s","pinpad":"p","kind":"other","ft":"A","cmd":"B","xml":"x"}'],
    ['a secondary kind for a primary command', '{"t":"req","id":"1","from":"r","client":"c","site":"s","pinpad":"p","kind":"secondary","ft":"PAYMENT","cmd":"B","xml":"x"}'],
    ['an unknown synthesized answer', '{"t":"res","id":"1","syn":"constructor"}'],
    ['an empty id', '{"t":"ack","id":""}'],
  ])('refuses %s with ERR_GATEWAY_RELAY_MESSAGE_INVALID', (_name, text) => {
    expect(code(text)).toBe('ERR_GATEWAY_RELAY_MESSAGE_INVALID');
  });
});
