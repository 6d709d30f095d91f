export * from './errors';
export * from './roles';
export * from './person-list';
