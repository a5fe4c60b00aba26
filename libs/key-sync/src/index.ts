export const PLACEHOLDER = 'key-sync';
