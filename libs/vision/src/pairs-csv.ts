import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { parse } from 'csv-parse/sync';
import { InvalidInputError, parseSameLabel } from '@vigil/domain';

export interface PairRow {
  /** 1-based line number in the pairs file, for error messages and reports. */
  line: number;
  /** 0-based fold, for files that define folds (LFW's pairs.txt); absent in a CSV. */
  fold?: number;
  imageA: string;
  imageB: string;
  same: boolean;
}

/** What errors call this format. */
export const PAIRS_CSV_LABEL = 'pairs CSV';

function checkRelativePath(raw: string, line: number): string {
  const p = raw.trim();
  if (!p) throw new InvalidInputError(`pairs CSV line ${line}: empty image path`);
  if (p.includes('\0')) throw new InvalidInputError(`pairs CSV line ${line}: invalid image path`);
  if (path.isAbsolute(p) || path.win32.isAbsolute(p)) {
    throw new InvalidInputError(`pairs CSV line ${line}: image path must be relative to the images directory`);
  }
  return p;
}

/**
 * Parses pairs CSV text: a header row, then rows whose first two columns are image paths relative
 * to the images directory and whose third is the label (Yes/No, true/false, 1/0). Extra columns are
 * ignored. Errors are InvalidInputError naming the line.
 */
export function parsePairsCsv(text: string): PairRow[] {
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, {
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
    }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
  } catch (err) {
    const line = (err as { lines?: number }).lines;
    const message = err instanceof Error ? err.message : String(err);
    throw new InvalidInputError(`pairs CSV${line ? ` line ${line}` : ''} is malformed: ${message}`);
  }
  if (records.length === 0) throw new InvalidInputError('pairs CSV is empty: expected a header row and pairs');
  const rows: PairRow[] = [];
  for (const { record, info } of records.slice(1)) {
    const line = info.lines;
    if (record.length < 3) {
      throw new InvalidInputError(`pairs CSV line ${line}: expected 3 columns (imageA, imageB, label), got ${record.length}`);
    }
    rows.push({
      line,
      imageA: checkRelativePath(record[0], line),
      imageB: checkRelativePath(record[1], line),
      same: parseSameLabel(record[2], `pairs CSV line ${line}`),
    });
  }
  if (rows.length === 0) throw new InvalidInputError('pairs CSV has a header but no pairs');
  return rows;
}

/**
 * Resolves a pairs file's image path inside imagesDir, refusing anything that escapes it, including
 * through symbolic links (both sides are compared after realpath). `source` names the file's
 * format in errors ("pairs CSV line 3: …").
 */
export async function resolveInside(imagesDirReal: string, relative: string, line: number, source = PAIRS_CSV_LABEL): Promise<string> {
  const candidate = path.resolve(imagesDirReal, relative);
  const escapes = (p: string): boolean => {
    const rel = path.relative(imagesDirReal, p);
    return rel === '' || rel.startsWith('..' + path.sep) || rel === '..' || path.isAbsolute(rel);
  };
  if (escapes(candidate)) {
    throw new InvalidInputError(`${source} line ${line}: image path '${relative}' points outside the images directory`);
  }
  let real: string;
  try {
    real = await fs.realpath(candidate);
  } catch {
    throw new InvalidInputError(`${source} line ${line}: image '${relative}' not found in the images directory`);
  }
  if (escapes(real)) {
    throw new InvalidInputError(`${source} line ${line}: image path '${relative}' points outside the images directory`);
  }
  return real;
}
