import path from 'node:path';
import { ConfigError, loadConfig } from '@vigil/config';

const root = path.resolve(__dirname, '../../..');

/** What the server's own config loader says about an environment (the problems, or none). */
export function validateEnv(env: Record<string, string>): string[] {
  try {
    loadConfig(env, { cwd: root, version: '0.0.0' });
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}
