export * from './views';
export * from './socket-events';
