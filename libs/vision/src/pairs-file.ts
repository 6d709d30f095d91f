import * as fs from 'node:fs/promises';
import { InvalidInputError } from '@vigil/domain';
import { LFW_PAIRS_LABEL, looksLikeLfwPairs, parseLfwPairs } from './lfw-pairs';
import { PAIRS_CSV_LABEL, parsePairsCsv, type PairRow } from './pairs-csv';

/** Pairs files beyond this are refused before parsing (LFW's 6 000 pairs are ~150 kB). */
export const MAX_PAIRS_FILE_BYTES = 20 * 1024 * 1024;

export type PairsFormat = 'csv' | 'lfw';

export interface PairsFile {
  format: PairsFormat;
  /** What errors call the file ("pairs CSV", "LFW pairs file"). */
  label: string;
  /** Folds the file defines (LFW's pairs.txt), or null for a CSV. */
  folds: number | null;
  rows: PairRow[];
}

/**
 * Reads a pairs file, telling the formats apart by the first non-empty line: two integers
 * ("10\t300") is LFW's pairs.txt, anything else a CSV with a header row.
 */
export function parsePairsFile(text: string): PairsFile {
  if (looksLikeLfwPairs(text)) {
    const lfw = parseLfwPairs(text);
    return { format: 'lfw', label: LFW_PAIRS_LABEL, folds: lfw.folds, rows: lfw.rows };
  }
  const first = text.replace(/^\uFEFF/, '').split(/\r?\n/).find((l) => l.trim() !== '')?.trim();
  if (first !== undefined && /^\d+$/.test(first)) {
    throw new InvalidInputError(
      `the pairs file starts with a single number (${first}): that is LFW's pairsDevTrain.txt / pairsDevTest.txt ` +
        'layout, which is not supported. Give pairs.txt (first line: folds and pairs per fold, "10 300") or a CSV with a header row.',
    );
  }
  return { format: 'csv', label: PAIRS_CSV_LABEL, folds: null, rows: parsePairsCsv(text) };
}

export async function readPairsFile(filePath: string): Promise<PairsFile> {
  let stat;
  try {
    stat = await fs.stat(filePath);
  } catch {
    throw new InvalidInputError(`pairs file not found: ${filePath}`);
  }
  if (!stat.isFile()) throw new InvalidInputError(`pairs file is not a file: ${filePath}`);
  if (stat.size > MAX_PAIRS_FILE_BYTES) {
    throw new InvalidInputError(`pairs file is ${stat.size} bytes; the limit is ${MAX_PAIRS_FILE_BYTES}`);
  }
  return parsePairsFile(await fs.readFile(filePath, 'utf8'));
}
