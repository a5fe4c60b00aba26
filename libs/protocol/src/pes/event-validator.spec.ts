import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { classValidatorViolations } from '../testing';
import { PES_EVENT_DTOS } from './events.dto';
import { PES_EVENT_NOT_OBJECT, PES_KNOWN_EVENT_TYPES, isPesKnownEventType, validatePesEvent } from './event-validator';
import { PES_ITEM_QTY_MAX, PES_ORDER_ITEMS_MAX } from './limits';

/** PES message vectors from the independent implementation (a copy of shared/vectors). */
const MESSAGES: { msg_type: string; plaintext: string }[] = JSON.parse(
  readFileSync(join(__dirname, '../testing/vectors.json'), 'utf8'),
).pes.messages;

const ITEM = { name: 'Fries', qty: 2 };

describe('PES_KNOWN_EVENT_TYPES', () => {
  it('lists the seven DESIGN §6 event types', () => {
    expect([...PES_KNOWN_EVENT_TYPES].sort()).toEqual(
      ['add_item', 'close_order', 'create_order', 'remove_item', 'tender', 'update_order', 'void_order'],
    );
    expect(Object.isFrozen(PES_KNOWN_EVENT_TYPES)).toBe(true);
    expect(isPesKnownEventType('tender')).toBe(true);
    expect(isPesKnownEventType('register_client')).toBe(false);
  });
});

describe('validatePesEvent', () => {
  it('accepts the event plaintexts of the vectors', () => {
    const events = MESSAGES.filter((m) => isPesKnownEventType(m.msg_type));
    expect(events.map((m) => m.msg_type)).toEqual(['create_order', 'add_item']);
    for (const message of events) {
      expect(validatePesEvent(message.msg_type, JSON.parse(message.plaintext))).toEqual({ known: true, errors: [] });
    }
  });

  it.each([
    ['create_order', { order_id: 'O', items: [ITEM, { name: 'Shake', qty: 0.5, price: 3.2 }], channel: 'kiosk' }],
    ['create_order', { order_id: 'O' }],
    ['add_item', { order_id: 'O', item: ITEM }],
    ['remove_item', { order_id: 'O', item: { name: 'Fries' } }],
    ['remove_item', { order_id: 'O', item: ITEM }],
    ['update_order', { order_id: 'O', status: 'ready', items: [ITEM] }],
    ['tender', { order_id: 'O', amount: 12.5, tender_type: 'card' }],
    ['tender', { order_id: 'O', amount: 0 }],
    ['close_order', { order_id: 'O' }],
    ['void_order', { order_id: 'O', reason: 'customer left' }],
  ])('accepts a valid %s (unknown fields kept, not judged)', (type, value) => {
    expect(validatePesEvent(type, value)).toEqual({ known: true, errors: [] });
  });

  it.each([
    ['create_order', {}, ['order_id: isNotEmpty', 'order_id: isString', 'order_id: maxLength']],
    ['create_order', { order_id: 7 }, ['order_id: isString', 'order_id: maxLength']],
    ['create_order', { order_id: 'O', items: ITEM }, ['items: arrayMaxSize', 'items: isArray']],
    ['create_order', { order_id: 'O', items: [ITEM, 'Fries'] }, ['items.1: nestedValidation', 'items: isObject']],
    ['create_order', { order_id: 'O', items: [[ITEM]] }, ['items: isObject']],
    ['create_order', { order_id: 'O', items: [{ name: '', qty: 1 }] }, ['items.0.name: isNotEmpty']],
    ['create_order', { order_id: 'O', items: Array(PES_ORDER_ITEMS_MAX + 1).fill(ITEM) }, ['items: arrayMaxSize']],
    ['add_item', { order_id: 'O' }, ['item: isObject']],
    ['add_item', { order_id: 'O', item: { name: 'F', qty: '2' } }, ['item.qty: isNumber', 'item.qty: isPositive', 'item.qty: max']],
    ['add_item', { order_id: 'O', item: { name: 'F', qty: 0 } }, ['item.qty: isPositive']],
    ['add_item', { order_id: 'O', item: { name: 'F', qty: PES_ITEM_QTY_MAX + 1 } }, ['item.qty: max']],
    ['add_item', { order_id: 'O', item: [ITEM] }, ['item: isObject']],
    ['remove_item', { order_id: 'O', item: { qty: 1 } }, ['item.name: isNotEmpty', 'item.name: isString', 'item.name: maxLength']],
    ['update_order', { order_id: 'O', status: 3 }, ['status: isString', 'status: maxLength']],
    ['tender', { order_id: 'O' }, ['amount: isNumber', 'amount: min']],
    ['tender', { order_id: 'O', amount: '12.50' }, ['amount: isNumber', 'amount: min']],
    ['tender', { order_id: 'O', amount: -1 }, ['amount: min']],
    ['close_order', { order: 'O' }, ['order_id: isNotEmpty', 'order_id: isString', 'order_id: maxLength']],
    ['void_order', { order_id: 'O', reason: ['x'] }, ['reason: isString', 'reason: maxLength']],
  ])('refuses an invalid %s %j', (type, value, errors) => {
    const result = validatePesEvent(type, value);
    expect(result.known).toBe(true);
    expect([...result.errors].sort()).toEqual(errors);
  });

  it.each([['[]', []], ['a string', 'x'], ['null', null], ['a number', 1]])('refuses %s as payload of any type', (_name, value) => {
    expect(validatePesEvent('create_order', value)).toEqual({ known: true, errors: [PES_EVENT_NOT_OBJECT] });
    expect(validatePesEvent('loyalty_scan', value)).toEqual({ known: false, errors: [PES_EVENT_NOT_OBJECT] });
  });

  it('reports, without overflowing the stack, items nested 200,000 arrays deep', () => {
    const text = `{"order_id":"O","items":${'['.repeat(200_000)}${']'.repeat(200_000)}}`;
    const { errors } = validatePesEvent('create_order', JSON.parse(text));
    expect(errors).toContain('items: isObject');
    expect(errors.some((e) => e.endsWith(': nestedValidation'))).toBe(true);
  });

  it('accepts any object for an unknown msg_type, reporting known: false', () => {
    expect(validatePesEvent('loyalty_scan', { anything: [1, 2] })).toEqual({ known: false, errors: [] });
    expect(validatePesEvent('constructor', {})).toEqual({ known: false, errors: [] });
  });
});

describe('event DTOs vs the compiled validator', () => {
  const leaf = fc.oneof(
    fc.string({ maxLength: 3 }),
    fc.constant(''),
    fc.integer({ min: -2, max: PES_ITEM_QTY_MAX + 2 }),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.constant([]),
    fc.record({ a: fc.string() }),
  );
  const item = fc.oneof(leaf, fc.record({ name: leaf, qty: leaf, extra: leaf }, { requiredKeys: [] }));
  const items = fc.oneof(item, fc.array(fc.oneof(item, fc.array(item, { maxLength: 2 })), { maxLength: 3 }));
  const candidate = fc.record(
    { order_id: leaf, items, item, amount: leaf, tender_type: leaf, status: leaf, reason: leaf, other: leaf },
    { requiredKeys: [] },
  );

  it.each(PES_KNOWN_EVENT_TYPES.map((type) => [type]))('%s: same violations as plainToInstance + validateSync (property)', (type) => {
    let invalid = 0;
    let valid = 0;
    fc.assert(
      fc.property(candidate, (value) => {
        const { errors } = validatePesEvent(type, value);
        expect([...errors].sort()).toEqual(classValidatorViolations(PES_EVENT_DTOS[type], value));
        if (errors.length > 0) invalid++;
        else valid++;
      }),
      { numRuns: 400 },
    );
    expect(invalid).toBeGreaterThan(0);
    expect(valid + invalid).toBe(400);
  });
});
