export const PLACEHOLDER = 'device-sim';
