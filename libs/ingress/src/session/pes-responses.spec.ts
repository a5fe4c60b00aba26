import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { pesAad, pesDecrypt } from '@pos-link/crypto';
import { encodePesEnvelope, parsePesFrame, PES_MSG_ID_MAX_LENGTH, PES_MSG_TYPE_MAX_LENGTH } from '@pos-link/protocol';
import { PesResponses } from './pes-responses';

describe('PesResponses', () => {
  it('ack() writes exactly the bytes encodePesEnvelope makes, for any echoable msg_id / msg_type (property)', () => {
    // Full unicode, quotes, backslashes, control characters and lone surrogates: JSON escaping must agree.
    const text = (max: number) => fc.string({ unit: 'binary', minLength: 1, maxLength: max });
    fc.assert(
      fc.property(text(PES_MSG_ID_MAX_LENGTH), text(PES_MSG_TYPE_MAX_LENGTH), fc.constantFrom('pos-link', 'src "q" \\ é'), (msgId, msgType, source) => {
        const expected = encodePesEnvelope({ source, version: '1.0', msg_id: msgId, msg_type: msgType, msg_resp: 'ack' });
        expect(new PesResponses(source, 'aes-256-gcm').ack(msgId, msgType).equals(expected)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it("ack() reproduces the seed's 129-byte register_client ack frame byte for byte (vectors pes.frame)", () => {
    const vectors = JSON.parse(readFileSync(path.join(__dirname, '../../../protocol/src/testing/vectors.json'), 'utf8')) as {
      pes: { frame: { json: string; hex: string } };
    };
    const { msg_id, msg_type } = parsePesFrame(Buffer.from(vectors.pes.frame.json));
    expect(new PesResponses('xenial', 'aes-256-gcm').ack(msg_id, msg_type).toString('hex')).toBe(vectors.pes.frame.hex);
  });

  it('nack() carries the fixed body encrypted with AAD msg_type.msg_id.nack', () => {
    const dek = Buffer.alloc(32, 7);
    const envelope = parsePesFrame(new PesResponses('pos-link', 'aes-256-gcm').nack(dek, 'm-1', 'tender', 3).subarray(4));
    expect(envelope).toMatchObject({ source: 'pos-link', version: '1.0', msg_id: 'm-1', msg_type: 'tender', msg_resp: 'nack' });
    const body = pesDecrypt('aes-256-gcm', dek, pesAad('tender', 'm-1', 'nack'), envelope.msg_data as string);
    expect(JSON.parse(body.toString())).toEqual({ code: 3, message: 'Event data invalid' });
  });

  it('refuses an invalid source at construction (TypeError)', () => {
    expect(() => new PesResponses('x'.repeat(129), 'aes-256-gcm')).toThrow(TypeError);
  });
});
