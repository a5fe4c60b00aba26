export const PLACEHOLDER = 'ingress';
