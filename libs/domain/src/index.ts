export * from './errors';
export * from './roles';
export * from './person-list';
export * from './descriptor';
export * from './quality';
export * from './verification-metrics';
export * from './pair-label';
export * from './camera-settings';
