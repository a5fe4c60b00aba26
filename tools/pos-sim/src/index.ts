export const PLACEHOLDER = 'pos-sim';
