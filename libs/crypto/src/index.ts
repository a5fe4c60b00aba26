export const PLACEHOLDER = 'crypto';
