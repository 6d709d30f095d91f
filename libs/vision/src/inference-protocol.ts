import {
  ConflictError,
  DomainError,
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  PayloadTooLargeError,
  UnauthenticatedError,
  UnprocessableError,
  UnsupportedMediaError,
} from '@vigil/domain';
import type { BackendSelection } from './backend';
import type { DecodeOptions } from './image-decoder';
import type { DetectedFace, DetectOptions, FaceEngineOptions } from './face-engine';

/** Messages between InferencePool and its worker threads. */

export interface WorkerInit {
  engine: FaceEngineOptions;
  decode: DecodeOptions;
}

export type JobInput =
  | { kind: 'frame'; width: number; height: number; data: Uint8Array }
  | { kind: 'encoded'; data: Uint8Array };

export interface JobRequest {
  type: 'job';
  id: number;
  input: JobInput;
  options: DetectOptions;
}

export interface SerializedError {
  name: string;
  message: string;
  details?: Record<string, unknown>;
}

export type WorkerMessage =
  | { type: 'ready'; backend: BackendSelection; numTensors: number }
  | { type: 'init-failed'; error: SerializedError }
  | { type: 'result'; id: number; faces: DetectedFace[] }
  | { type: 'error'; id: number; error: SerializedError };

export function serializeError(err: unknown): SerializedError {
  if (err instanceof DomainError) return { name: err.name, message: err.message, details: err.details };
  if (err instanceof Error) return { name: err.name, message: err.message };
  return { name: 'Error', message: String(err) };
}

const DOMAIN_ERRORS: Record<string, new (message: string, details?: Record<string, unknown>) => DomainError> = {
  InvalidInputError,
  UnauthenticatedError,
  ForbiddenError,
  NotFoundError,
  ConflictError,
  PayloadTooLargeError,
  UnsupportedMediaError,
  UnprocessableError,
};

/** Re-creates domain errors across the thread boundary so the HTTP layer still maps them to 4xx. */
export function deserializeError(e: SerializedError): Error {
  const Ctor = DOMAIN_ERRORS[e.name];
  if (Ctor) return new Ctor(e.message, e.details);
  const err = new Error(e.message);
  err.name = e.name;
  return err;
}
