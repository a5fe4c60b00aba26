export const PLACEHOLDER = 'protocol';
