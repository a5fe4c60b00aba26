import { effectiveValue, parseVariableTable, variablesByName } from './app-variables';

const ROWS = [
  { name: 'OPS_PORT', kind: 'integer', default: '9080', required: false, doc: 'ops', secret: false },
  { name: 'REDIS_URL', kind: 'string', default: '', required: true, doc: 'redis', secret: true },
];

describe('parseVariableTable', () => {
  it('keeps name, default, required and secret of each row of --print-config=json', () => {
    expect(parseVariableTable('gw', JSON.stringify(ROWS))).toEqual([
      { name: 'OPS_PORT', default: '9080', required: false, secret: false },
      { name: 'REDIS_URL', default: '', required: true, secret: true },
    ]);
  });

  it('throws, quoting the output, when the app printed something else', () => {
    expect(() => parseVariableTable('gw', 'placeholder\n')).toThrow('gw --print-config=json did not print JSON: "placeholder\\n"');
    expect(() => parseVariableTable('gw', '[]')).toThrow('gw --print-config=json did not print a table of variables (name, default, required, secret)');
    expect(() => parseVariableTable('gw', JSON.stringify([{ ...ROWS[0], name: 'lower' }]))).toThrow('did not print a table');
  });
});

describe('effectiveValue', () => {
  const rows = parseVariableTable('gw', JSON.stringify(ROWS));

  it('takes a non-empty environment value, else the default, else undefined', () => {
    expect(effectiveValue(rows, new Map([['OPS_PORT', '1']]), 'OPS_PORT')).toBe('1');
    expect(effectiveValue(rows, new Map([['OPS_PORT', '']]), 'OPS_PORT')).toBe('9080');
    expect(effectiveValue(rows, new Map(), 'REDIS_URL')).toBeUndefined();
  });

  it('variablesByName indexes the rows', () => {
    expect(variablesByName(rows).get('REDIS_URL')?.secret).toBe(true);
  });
});
