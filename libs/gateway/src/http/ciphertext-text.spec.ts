import { ciphertextText } from './ciphertext-text';

describe('ciphertextText', () => {
  it('returns undefined for an empty body', () => {
    expect(ciphertextText(Buffer.alloc(0))).toBeUndefined();
  });

  it('returns base64 text as received (whitespace is the decoder’s to ignore)', () => {
    expect(ciphertextText(Buffer.from(' IIOrA3QUQW6vwtCDqmlvWA==\n'))).toBe(' IIOrA3QUQW6vwtCDqmlvWA==\n');
  });

  it('unwraps a JSON string literal, also one with escapes and surrounding whitespace', () => {
    expect(ciphertextText(Buffer.from('\n "IIOrA3QUQW6vwtCDqmlvWA==" '))).toBe('IIOrA3QUQW6vwtCDqmlvWA==');
    expect(ciphertextText(Buffer.from('"ab\\/cd"'))).toBe('ab/cd');
  });

  it('returns a broken literal or a non-string JSON value raw, so the cipher pass refuses it like any bad text', () => {
    expect(ciphertextText(Buffer.from('"abc'))).toBe('"abc');
    expect(ciphertextText(Buffer.from('"a" "b"'))).toBe('"a" "b"');
  });

  it('keeps non-ASCII bytes visible (latin1), never replacing them', () => {
    expect(ciphertextText(Buffer.from([0x41, 0xff]))).toBe('A\u00ff');
  });
});
