export const PLACEHOLDER = 'platform';
