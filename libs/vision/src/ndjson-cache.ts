import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';

/**
 * Reads a resumable cache of one JSON object per line, keyed by its `image`: a later line for the
 * same image wins, and a line cut short by an interrupted run is skipped (that image is simply
 * computed again). A missing file is an empty cache.
 */
export async function readNdjsonCache<T extends { image: string }>(file: string): Promise<Map<string, T>> {
  const lines = new Map<string, T>();
  try {
    await stat(file);
  } catch {
    return lines;
  }
  const rl = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  for await (const text of rl) {
    if (!text.trim()) continue;
    try {
      const line = JSON.parse(text) as T;
      lines.set(line.image, line);
    } catch {
      // cut short by an interrupted run
    }
  }
  return lines;
}

/** What makes a cached line about an image still valid: the cache format, the model and detector, and the file itself. */
export interface ImageCacheKey {
  v: number;
  model: string;
  detector: string;
  image: string;
  size: number;
  mtimeMs: number;
}

/** Whether `line` was computed for exactly `key` (a changed file, model or format is computed again). */
export function cacheKeyMatches(line: ImageCacheKey, key: ImageCacheKey): boolean {
  return line.v === key.v && line.model === key.model && line.detector === key.detector && line.image === key.image && line.size === key.size && line.mtimeMs === key.mtimeMs;
}
