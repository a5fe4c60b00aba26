export const PLACEHOLDER = 'keyring';
