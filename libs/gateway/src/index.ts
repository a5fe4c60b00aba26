export const PLACEHOLDER = 'gateway';
