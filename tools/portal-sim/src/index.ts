export const PLACEHOLDER = 'portal-sim';
