export * from './principal';
export * from './token-issuer';
export * from './token-secret';
