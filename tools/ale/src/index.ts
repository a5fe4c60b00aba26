export const PLACEHOLDER = 'ale';
