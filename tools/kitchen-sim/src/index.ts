export const PLACEHOLDER = 'kitchen-sim';
