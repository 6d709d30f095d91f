import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { InvalidInputError } from '@vigil/domain';

/** Extensions a folder scan picks up; any other file in the folder is listed as skipped. */
export const VIDEO_EXTENSIONS: ReadonlySet<string> = new Set(['.mp4', '.m4v', '.mov', '.mkv', '.avi', '.webm', '.ts', '.mts', '.m2ts', '.mpg', '.mpeg', '.wmv', '.flv', '.3gp', '.h264', '.h265', '.hevc', '.mjpeg']);
export const IMAGE_EXTENSIONS: ReadonlySet<string> = new Set(['.jpg', '.jpeg', '.png', '.webp', '.bmp', '.tif', '.tiff']);

export interface MediaListing {
  files: string[];
  /** Files in the folder with another extension (not media: notes, checksums, players). */
  skipped: string[];
}

export function isImagePath(file: string): boolean {
  return IMAGE_EXTENSIONS.has(path.extname(file).toLowerCase());
}

/**
 * The files to scan: a file as given (its content decides whether it is media), or every video and
 * image under a folder, sub-folders included, in path order so two scans of the same stick list
 * them alike. Hidden files (macOS `._x.mp4`, `.DS_Store`) are skipped.
 */
export async function listMedia(input: string): Promise<MediaListing> {
  const info = await stat(input).catch(() => null);
  if (!info) throw new InvalidInputError(`${input} does not exist: give a video file, an image or a folder of them`);
  if (info.isFile()) return { files: [path.resolve(input)], skipped: [] };
  if (!info.isDirectory()) throw new InvalidInputError(`${input} is neither a file nor a folder`);
  const files: string[] = [];
  const skipped: string[] = [];
  const entries = await readdir(input, { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const full = path.resolve(entry.parentPath, entry.name);
    const ext = path.extname(entry.name).toLowerCase();
    if (entry.name.startsWith('.')) continue;
    if (VIDEO_EXTENSIONS.has(ext) || IMAGE_EXTENSIONS.has(ext)) files.push(full);
    else skipped.push(full);
  }
  files.sort();
  skipped.sort();
  if (files.length === 0) throw new InvalidInputError(`${input} holds no video or image files (looked for ${[...VIDEO_EXTENSIONS, ...IMAGE_EXTENSIONS].join(' ')})`);
  return { files, skipped };
}
