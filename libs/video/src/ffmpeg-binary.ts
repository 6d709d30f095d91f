import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { redactCredentials } from './redact-credentials';

/** The ffmpeg executable to run and its major version (argv differ between 4.x and 5+). */
export interface FfmpegBinary {
  path: string;
  major: number;
  /** First line of `ffmpeg -version`, for health output. */
  versionLine: string;
}

/**
 * Major version from `ffmpeg -version` output. Release builds say `ffmpeg version 5.1.9-…`;
 * git snapshots (like @ffmpeg-installer's static build, `N-47683-g0e8eb07980`) carry no number,
 * so their copyright year decides: ffmpeg 5.0 (January 2022) removed `-stimeout`, so a snapshot
 * from 2021 or earlier behaves as 4.x.
 */
export function parseFfmpegMajor(versionOutput: string): number {
  const release = /ffmpeg version n?(\d+)\.\d+/i.exec(versionOutput);
  if (release) return Number(release[1]);
  const year = /Copyright \(c\) \d{4}-(\d{4})/.exec(versionOutput);
  if (year) return Number(year[1]) <= 2021 ? 4 : 5;
  throw new Error(`cannot tell the ffmpeg version from: ${redactCredentials(versionOutput.split('\n')[0] ?? '')}`);
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Which ffmpeg to run: `FFMPEG_PATH`, else the first `ffmpeg` on PATH (the system build, 5.x on
 * our hosts), else the static 4.x build of @ffmpeg-installer/ffmpeg. A set but unusable
 * FFMPEG_PATH is an error rather than a silent fallback.
 */
export function locateFfmpeg(env: NodeJS.ProcessEnv = process.env): string {
  if (env.FFMPEG_PATH) {
    if (!isExecutable(env.FFMPEG_PATH)) throw new Error(`FFMPEG_PATH=${env.FFMPEG_PATH} is not an executable file`);
    return env.FFMPEG_PATH;
  }
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, 'ffmpeg');
    if (isExecutable(candidate)) return candidate;
  }
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const installer = require('@ffmpeg-installer/ffmpeg') as { path: string };
    if (isExecutable(installer.path)) return installer.path;
  } catch {
    // not installed for this platform: fall through to the error below
  }
  throw new Error('no ffmpeg found: install ffmpeg (apt-get install -y ffmpeg) or set FFMPEG_PATH');
}

/** Runs `<file> -version` and parses it (no shell). */
export function probeFfmpeg(file: string): Promise<FfmpegBinary> {
  return new Promise((resolve, reject) => {
    execFile(file, ['-hide_banner', '-version'], { timeout: 10_000 }, (error, stdout) => {
      if (error) return reject(new Error(`cannot run ${file} -version: ${redactCredentials(error.message)}`));
      try {
        resolve({ path: file, major: parseFfmpegMajor(stdout), versionLine: stdout.split('\n')[0]!.trim() });
      } catch (e) {
        reject(e as Error);
      }
    });
  });
}

let cached: Promise<FfmpegBinary> | undefined;

/** Locates and probes ffmpeg once per process; a failed probe is retried on the next call. */
export function resolveFfmpeg(): Promise<FfmpegBinary> {
  if (!cached) {
    cached = Promise.resolve()
      .then(() => probeFfmpeg(locateFfmpeg()))
      .catch((e: unknown) => {
        cached = undefined;
        throw e;
      });
  }
  return cached;
}
