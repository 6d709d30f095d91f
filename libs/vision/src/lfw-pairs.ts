import { InvalidInputError } from '@vigil/domain';
import type { PairRow } from './pairs-csv';

/**
 * LFW's pairs.txt: a header line "<folds>\t<n>", then for each fold in order its n same-person
 * lines "Name\tn1\tn2" followed by its n different-person lines "Name1\tn1\tName2\tn2". Image
 * numbers name the files <Name>/<Name>_<number padded to 4 digits>.jpg, relative to the images
 * folder (images_deepfunneled, or LFW's original lfw/ folder).
 */

/** What errors call this format. */
export const LFW_PAIRS_LABEL = 'LFW pairs file';

export interface LfwPairs {
  folds: number;
  pairsPerFold: number;
  /** In file order; each row has its 0-based `fold`. */
  rows: PairRow[];
}

const HEADER = /^(\d+)\s+(\d+)$/;
const IMAGE_NUMBER = /^\d{1,4}$/;
/** Bigger than any public pairs file (LFW has 6 000 pairs); a typo in the header is caught early. */
const MAX_PAIRS = 1_000_000;

function firstContentLine(lines: readonly string[]): number {
  return lines.findIndex((l) => l.trim() !== '');
}

function splitLines(text: string): string[] {
  return text.replace(/^\uFEFF/, '').split(/\r?\n/);
}

/** True when the first non-empty line is two integers: LFW's pairs.txt rather than a CSV. */
export function looksLikeLfwPairs(text: string): boolean {
  const lines = splitLines(text);
  const first = firstContentLine(lines);
  return first >= 0 && HEADER.test(lines[first].trim());
}

/** LFW's image path for a person's photo number: Name/Name_0003.jpg. */
export function lfwImagePath(name: string, number: number): string {
  return `${name}/${name}_${String(number).padStart(4, '0')}.jpg`;
}

function fail(line: number, message: string): never {
  throw new InvalidInputError(`${LFW_PAIRS_LABEL} line ${line}: ${message}`);
}

function personName(raw: string, line: number): string {
  if (raw === '.' || raw === '..' || /[/\\\0]/.test(raw)) {
    fail(line, `'${raw}' is not a person's folder name (LFW names are like Abel_Pacheco, without slashes)`);
  }
  return raw;
}

function imageNumber(raw: string, line: number): number {
  const n = IMAGE_NUMBER.test(raw) ? Number(raw) : 0;
  if (n < 1) fail(line, `image number '${raw}' must be a whole number from 1 to 9999 (LFW numbers each person's photos from 1)`);
  return n;
}

function parseHeader(raw: string, line: number): { folds: number; pairsPerFold: number } {
  const m = HEADER.exec(raw.trim());
  if (!m) fail(line, `expected the header "<folds> <pairs per fold>" (LFW: "10 300"), got '${raw.trim()}'`);
  const folds = Number(m[1]);
  const pairsPerFold = Number(m[2]);
  if (folds < 1 || pairsPerFold < 1) fail(line, `the header needs at least 1 fold and 1 pair per fold, got ${folds} and ${pairsPerFold}`);
  if (folds * pairsPerFold * 2 > MAX_PAIRS) {
    fail(line, `the header declares ${folds} folds × ${pairsPerFold} × 2 pairs, more than the ${MAX_PAIRS} supported`);
  }
  return { folds, pairsPerFold };
}

/** Parses pairs.txt text. Errors are InvalidInputError naming the line and what was expected there. */
export function parseLfwPairs(text: string): LfwPairs {
  const lines = splitLines(text);
  const headerIndex = firstContentLine(lines);
  if (headerIndex < 0) throw new InvalidInputError(`${LFW_PAIRS_LABEL} is empty`);
  const headerLine = headerIndex + 1;
  const { folds, pairsPerFold } = parseHeader(lines[headerIndex], headerLine);
  const perFold = 2 * pairsPerFold;
  const expected = folds * perFold;
  const declared = `the header (line ${headerLine}) declares ${folds} fold(s) × (${pairsPerFold} same-person + ${pairsPerFold} different-person pairs) = ${expected} pairs`;

  const rows: PairRow[] = [];
  for (let i = headerIndex + 1; i < lines.length; i++) {
    const trimmed = lines[i].trim();
    if (trimmed === '') continue;
    const line = i + 1;
    const index = rows.length;
    if (index >= expected) fail(line, `${declared}, but the file has more pair lines than that`);
    const fold = Math.floor(index / perFold);
    const sameExpected = index % perFold < pairsPerFold;
    const fields = trimmed.split(/\s+/);
    if (fields.length !== 3 && fields.length !== 4) {
      fail(line, `expected 3 fields (Name n1 n2: same person) or 4 (Name1 n1 Name2 n2: different people), got ${fields.length}`);
    }
    const same = fields.length === 3;
    if (same !== sameExpected) {
      const where = `pair ${(index % perFold) + 1} of fold ${fold} (counting from 0), where a ${sameExpected ? 'same' : 'different'}-person line is due`;
      fail(line, `a ${same ? 'same' : 'different'}-person line at ${where}: each fold lists its ${pairsPerFold} same-person pairs, then its ${pairsPerFold} different-person pairs; ${declared}`);
    }
    if (same) {
      const name = personName(fields[0], line);
      const [a, b] = [imageNumber(fields[1], line), imageNumber(fields[2], line)];
      if (a === b) fail(line, `a same-person pair compares ${name}'s image ${a} with itself`);
      rows.push({ line, fold, imageA: lfwImagePath(name, a), imageB: lfwImagePath(name, b), same: true });
    } else {
      const [nameA, nameB] = [personName(fields[0], line), personName(fields[2], line)];
      if (nameA === nameB) fail(line, `a different-person pair names ${nameA} twice`);
      rows.push({ line, fold, imageA: lfwImagePath(nameA, imageNumber(fields[1], line)), imageB: lfwImagePath(nameB, imageNumber(fields[3], line)), same: false });
    }
  }
  if (rows.length < expected) {
    throw new InvalidInputError(`${LFW_PAIRS_LABEL}: ${declared}, but the file has only ${rows.length} pair lines (fold ${Math.floor(rows.length / perFold)} is incomplete)`);
  }
  return { folds, pairsPerFold, rows };
}
