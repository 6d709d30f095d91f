import { MultiBar, type SingleBar } from 'cli-progress';

/**
 * Progress of long CLI work (embedding photos, scanning footage, training): a bar with done/total,
 * rate and ETA on a terminal, nothing at all otherwise. The bar goes to stderr so stdout stays the
 * command's result (`--json | jq` keeps working), and it is never drawn when stderr is not a TTY
 * (a pipe, a CI log, a test), or with --quiet.
 */
export interface Progress {
  /** Counts `n` more items done; `detail` replaces the text after the figures (e.g. the current file). */
  tick(n?: number, detail?: string): void;
  /** Sets the total when it becomes known or changes (files probed, frames estimated). */
  setTotal(total: number): void;
  /** Replaces the detail text without counting anything. */
  detail(text: string): void;
  /**
   * Prints a line of the command's output without tearing the bar: above it while the bar is
   * drawn on the same terminal, else straight through `write` (stdout redirected to a file).
   */
  log(text: string, write: (text: string) => void): void;
  /** Removes the bar before the result is printed; again in a finally block is harmless. */
  stop(): void;
}

export interface ProgressOptions {
  /** What is counted, plural: "images", "frames", "epochs". */
  unit: string;
  /** Shown before the bar: "Embedding", "Scanning". */
  label: string;
  total: number;
  /** --quiet: never draw. */
  quiet?: boolean;
  /** Where to draw; process.stderr by default. Only a TTY gets a bar. */
  stream?: NodeJS.WriteStream;
  /** Where the command's own lines go; process.stdout by default (only its isTTY is read). */
  output?: { isTTY?: boolean };
}

const SILENT: Progress = {
  tick() {},
  setTotal() {},
  detail() {},
  log(text, write) {
    write(text);
  },
  stop() {},
};

/** Whether a bar would be drawn on `stream` (a TTY, not quiet). */
export function progressShown(options: Pick<ProgressOptions, 'quiet' | 'stream'> = {}): boolean {
  const stream = options.stream ?? process.stderr;
  return !options.quiet && stream.isTTY === true;
}

export function createProgress(options: ProgressOptions): Progress {
  if (!progressShown(options)) return SILENT;
  const bars = new MultiBar({
    stream: options.stream ?? process.stderr,
    format: `${options.label} {bar} {value}/{total} ${options.unit} | {rate}/s | ETA {eta_formatted} {detail}`,
    barsize: 24,
    hideCursor: true,
    clearOnComplete: true,
    etaBuffer: 50,
    fps: 5,
  });
  const started = Date.now();
  let done = 0;
  let text = '';
  let stopped = false;
  const payload = () => {
    const seconds = (Date.now() - started) / 1000;
    return { rate: seconds > 0 ? (done / seconds).toFixed(1) : '0.0', detail: text };
  };
  const bar: SingleBar = bars.create(Math.max(0, options.total), 0, payload());
  const sameTerminal = (options.output ?? process.stdout).isTTY === true;
  return {
    tick(n = 1, detailText?: string) {
      done += n;
      if (detailText !== undefined) text = detailText;
      bar.update(done, payload());
    },
    setTotal(total: number) {
      bar.setTotal(Math.max(0, total));
    },
    detail(detailText: string) {
      text = detailText;
      bar.update(done, payload());
    },
    log(line: string, write: (text: string) => void) {
      if (stopped || !sameTerminal) write(line);
      else bars.log(line.endsWith('\n') ? line : `${line}\n`);
    },
    stop() {
      if (stopped) return;
      stopped = true;
      bars.update(); // writes lines still waiting above the bar
      bars.stop();
    },
  };
}
