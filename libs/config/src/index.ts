export * from './config';
export { SERVER_ROLES, TF_BACKENDS, LOG_LEVELS, LOG_FORMATS } from './env.schema';
export type { ServerRole, TfBackendChoice } from './env.schema';
