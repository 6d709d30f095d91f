export * from './views';
export * from './socket-events';
export * from './model-versions';
export * from './recognition';
export * from './retention';
export * from './scans';
