import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileDtoValidator } from '../dto/compile-validator';
import { PesEnvelopeError, ProtocolError } from '../errors';
import { classValidatorViolations } from '../testing';
import { PesEnvelope } from './envelope.dto';
import { encodePesEnvelope, parsePesFrame } from './envelope';
import { PES_MSG_ID_MAX_LENGTH } from './limits';

/** Seed 003's 129-byte example from the independent implementation's vectors (a copy of shared/vectors). */
const VECTOR: { json: string; hex: string } = JSON.parse(readFileSync(join(__dirname, '../testing/vectors.json'), 'utf8')).pes.frame;

const VALID = { source: 'pos-1', version: '1.0', msg_id: 'm-1', msg_type: 'create_order', msg_data: 'AAAA' };

function body(value: unknown): Buffer {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
}

function thrownBy(fn: () => unknown): ProtocolError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ProtocolError);
    return error as ProtocolError;
  }
  throw new Error('expected a ProtocolError');
}

describe('parsePesFrame', () => {
  it('parses the seed 003 example into a PesEnvelope', () => {
    const envelope = parsePesFrame(Buffer.from(VECTOR.json));
    expect(envelope).toBeInstanceOf(PesEnvelope);
    expect({ ...envelope }).toEqual({
      source: 'xenial',
      version: '1.0',
      msg_id: 'ac0701e8-cd5e-4d41-9f33-1e0317568aab',
      msg_type: 'register_client',
      msg_resp: 'ack',
      msg_data: undefined,
    });
  });

  it('ignores unknown fields and treats null optional fields as absent', () => {
    const envelope = parsePesFrame(body({ ...VALID, extra: { deep: 1 }, msg_resp: null, msg_data: null }));
    expect(JSON.stringify(envelope)).toBe('{"source":"pos-1","version":"1.0","msg_id":"m-1","msg_type":"create_order"}');
  });

  it.each([
    ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d])],
    ['not JSON', body('GET / HTTP/1.1')],
    ['truncated JSON', body('{"msg_id":"a"')],
    ['a JSON array', body([VALID])],
    ['a JSON string', body('"x"')],
    ['JSON null', body('null')],
    ['a UTF-8 BOM before the object', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body(VALID)])],
  ])('refuses %s with ERR_PES_NOT_JSON', (_name, input) => {
    expect(thrownBy(() => parsePesFrame(input)).code).toBe('ERR_PES_NOT_JSON');
  });

  it.each([
    ['missing', { ...VALID, msg_id: undefined }],
    ['a number', { ...VALID, msg_id: 42 }],
    ['null', { ...VALID, msg_id: null }],
  ])('refuses a msg_id that is %s with ERR_PES_NO_MSG_ID', (_name, value) => {
    expect(thrownBy(() => parsePesFrame(body(value))).code).toBe('ERR_PES_NO_MSG_ID');
  });

  it.each([
    ['source missing', { ...VALID, source: undefined }, ['source: isString', 'source: maxLength']],
    ['version a number', { ...VALID, version: 1 }, ['version: isString', 'version: maxLength']],
    ['msg_type missing', { ...VALID, msg_type: undefined }, ['msg_type: isNotEmpty', 'msg_type: isString', 'msg_type: maxLength']],
    ['msg_resp unknown', { ...VALID, msg_resp: 'ok' }, ['msg_resp: isIn']],
    ['msg_data an object', { ...VALID, msg_data: { a: 1 } }, ['msg_data: isString']],
    ['msg_id empty', { ...VALID, msg_id: '' }, ['msg_id: isNotEmpty']],
    ['msg_id too long', { ...VALID, msg_id: 'x'.repeat(PES_MSG_ID_MAX_LENGTH + 1) }, ['msg_id: maxLength']],
  ])('refuses %s with ERR_PES_ENVELOPE_INVALID carrying msg_id/msg_type', (_name, value, violations) => {
    const error = thrownBy(() => parsePesFrame(body(value)));
    expect(error.code).toBe('ERR_PES_ENVELOPE_INVALID');
    expect(error).toBeInstanceOf(PesEnvelopeError);
    const envelopeError = error as PesEnvelopeError;
    expect(envelopeError.msgId).toBe(value.msg_id);
    expect(envelopeError.msgType).toBe(typeof value.msg_type === 'string' ? value.msg_type : undefined);
    expect([...envelopeError.violations].sort()).toEqual(violations);
  });
});

describe('encodePesEnvelope', () => {
  it('encodes the seed 003 example to exactly the vector bytes', () => {
    const frame = encodePesEnvelope({
      source: 'xenial',
      version: '1.0',
      msg_id: 'ac0701e8-cd5e-4d41-9f33-1e0317568aab',
      msg_type: 'register_client',
      msg_resp: 'ack',
    });
    expect(frame.toString('hex')).toBe(VECTOR.hex);
  });

  it('round-trips through parsePesFrame, fields in the seed order', () => {
    const frame = encodePesEnvelope({ msg_data: 'x', msg_type: 't', msg_id: 'i', version: '1.0', source: 's' });
    expect(frame.subarray(4).toString()).toBe('{"source":"s","version":"1.0","msg_id":"i","msg_type":"t","msg_data":"x"}');
    expect(parsePesFrame(frame.subarray(4)).msg_data).toBe('x');
  });

  it('refuses an invalid envelope with TypeError (programmer error)', () => {
    expect(() => encodePesEnvelope({ ...VALID, msg_id: '' })).toThrow(TypeError);
    expect(() => encodePesEnvelope({ ...VALID, msg_resp: 'maybe' as 'ack' })).toThrow(TypeError);
  });
});

describe('PesEnvelope DTO vs the compiled validator', () => {
  const field = fc.oneof(
    fc.string({ maxLength: 4 }),
    fc.constantFrom('', 'ack', 'nack', 'x'.repeat(PES_MSG_ID_MAX_LENGTH + 1)),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.string(), { maxLength: 2 }),
    fc.record({ a: fc.string() }),
  );
  const candidate = fc.record(
    { source: field, version: field, msg_id: field, msg_type: field, msg_resp: field, msg_data: field, other: field },
    { requiredKeys: [] },
  );

  it('report the same violations for any candidate envelope (property)', () => {
    const compiled = compileDtoValidator(PesEnvelope);
    let invalid = 0;
    fc.assert(
      fc.property(candidate, (value) => {
        const out: string[] = [];
        compiled(value, '', out);
        expect(out.sort()).toEqual(classValidatorViolations(PesEnvelope, value));
        if (out.length > 0) invalid++;
      }),
      { numRuns: 1000 },
    );
    expect(invalid).toBeGreaterThan(0);
  });
});
