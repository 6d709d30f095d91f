export * from './config';
export { SERVER_ROLES, TF_BACKENDS, LOG_LEVELS } from './env.schema';
export type { ServerRole, TfBackendChoice } from './env.schema';
