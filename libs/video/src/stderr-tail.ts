import { redactCredentials } from './redact-credentials';

/**
 * The last lines ffmpeg wrote to stderr, redacted BEFORE storage (they echo the URL, password
 * included, e.g. on 401). Splits arbitrary chunks into lines; a very long line is cut so a
 * misbehaving child cannot grow memory.
 */
export class StderrTail {
  private readonly lines: string[] = [];
  private partial = '';

  constructor(
    private readonly capacity = 20,
    private readonly maxLineLength = 1000,
  ) {}

  push(chunk: Buffer | string): void {
    const parts = (this.partial + chunk.toString()).split(/\r?\n|\r/);
    this.partial = parts.pop() ?? '';
    if (this.partial.length > this.maxLineLength) {
      this.add(this.partial);
      this.partial = '';
    }
    for (const line of parts) this.add(line);
  }

  /** Stream ended: keep what is left of the last line. */
  flush(): void {
    if (this.partial) this.add(this.partial);
    this.partial = '';
  }

  last(): string | undefined {
    return this.lines[this.lines.length - 1];
  }

  all(): string[] {
    return [...this.lines];
  }

  clear(): void {
    this.lines.length = 0;
    this.partial = '';
  }

  private add(raw: string): void {
    // Redact the whole line first: cutting first could split a URL before its '@'.
    const line = redactCredentials(raw).slice(0, this.maxLineLength).trim();
    if (!line) return;
    this.lines.push(line);
    if (this.lines.length > this.capacity) this.lines.shift();
  }
}
