import { PLACEHOLDER } from './index';
describe('x', () => { it('y', () => { expect(PLACEHOLDER).toBe('crypto'); }); });
