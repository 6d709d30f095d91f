import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import type { VigilConfig } from '@vigil/config';
import { DomainError, InvalidInputError, parseSplitRatios, resolveQualityThresholds, stratifiedSplit, truthOf } from '@vigil/domain';
import { Database, type ReviewedCaseRow } from '@vigil/persistence';
import { cropStatistics, QUALITY_CROP_SIZE } from '@vigil/vision';
import { createProgress, type Progress } from '../progress';
import { buildReport, formatReport, manifestCsv, sortRows, type ManifestRow, type QualityFlag } from './dataset-manifest';

const PART_NAMES: Record<number, string[]> = { 2: ['train', 'test'], 3: ['train', 'test', 'validation'] };
const DEFAULT_SEED = 42;

export const EXPORT_DATASET_USAGE = `vigil export-dataset --out <dir> [--split 80:20|60:20:20] [--seed N] [--json] [--quiet]
  Reviewed face crops with their labels, for training the next embedding model offline: the crops
  whose reviewers agree, split per class (stratified) into train/test (80:20, default) or
  train/test/validation (60:20:20) with a fixed seed (default ${DEFAULT_SEED}: same data + seed → the same
  manifest), manifest.json + manifest.csv, and report.json with the class balance (classes under
  10 % flagged) and quality counts (blurred, dark, washed-out). <dir> must be new or empty. On a
  terminal a progress bar (crops, rate, ETA) is drawn on stderr; --quiet hides it.`;

type Out = (text: string) => void;

interface Candidate {
  item: ReviewedCaseRow;
  class: string;
  personId: string | null;
  file: string;
  quality: ManifestRow['quality'];
}

export async function exportDatasetCommand(args: string[], config: VigilConfig, out: Out, err: Out): Promise<number> {
  try {
    return await exportDataset(args, config, out);
  } catch (error) {
    if (error instanceof DomainError) {
      err(`vigil export-dataset: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

async function exportDataset(args: string[], config: VigilConfig, out: Out): Promise<number> {
  const { values } = parseArgs({ args, strict: true, options: { out: { type: 'string' }, split: { type: 'string' }, seed: { type: 'string' }, json: { type: 'boolean' }, quiet: { type: 'boolean' } } });
  if (!values.out) throw new InvalidInputError(`export-dataset needs --out <dir>.\n\n${EXPORT_DATASET_USAGE}`);
  const split = values.split ?? '80:20';
  const ratios = parseSplitRatios(split);
  const seed = values.seed === undefined ? DEFAULT_SEED : Number(values.seed);
  if (!Number.isSafeInteger(seed) || seed < 0) throw new InvalidInputError('--seed must be a non-negative integer, e.g. 42');
  const outDir = path.resolve(values.out);
  await ensureEmptyDir(outDir);

  const db = await Database.open(config.database);
  let progress: Progress | undefined;
  try {
    const mediaRoot = path.join(config.dataDir, 'media');
    const items = await db.repos.reviewedData.reviewedItems();
    const skipped: Record<string, number> = {};
    const skip = (why: string) => (skipped[why] = (skipped[why] ?? 0) + 1);
    const candidates: Candidate[] = [];
    const limits = resolveQualityThresholds('recognition');
    progress = createProgress({ label: 'Measuring', unit: 'crops', total: items.length, quiet: values.quiet });
    // Measured before the split, so the split covers exactly the crops that are exported.
    for (const item of items) {
      progress.tick();
      const t = truthOf(item.labels, item.candidatePersonId);
      if (!t.ok) {
        skip(t.reason);
        continue;
      }
      const file = item.cropPath ? resolveMedia(mediaRoot, item.cropPath) : null;
      const bytes = file ? await readIfPresent(file) : null;
      if (!file || !bytes) {
        skip('crop_missing');
        continue;
      }
      const quality = await measure(bytes, limits);
      if (!quality) {
        skip('crop_unreadable');
        continue;
      }
      const personId = t.truth.kind === 'person' ? t.truth.personId : null;
      candidates.push({ item, class: personId ?? 'unknown', personId, file, quality });
    }
    const lists = new Map((await db.repos.reviewedData.personFacts([...new Set(candidates.flatMap((c) => (c.personId ? [c.personId] : [])))])).map((p) => [p.id, p.list]));
    const partNames = PART_NAMES[ratios.length]!;
    const parts = stratifiedSplit(candidates, { key: (c) => c.item.id, stratum: (c) => c.class, ratios, seed });

    const rows: ManifestRow[] = [];
    for (const [p, members] of parts.entries()) {
      for (const c of members) {
        const relative = path.posix.join('images', partNames[p]!, c.class, `${c.item.id}.jpg`);
        await mkdir(path.join(outDir, path.dirname(relative)), { recursive: true });
        await copyFile(c.file, path.join(outDir, relative));
        rows.push({
          file: relative,
          itemId: c.item.id,
          class: c.class,
          personId: c.personId,
          list: c.personId ? (lists.get(c.personId) ?? null) : null,
          label: c.item.labels[0]!.label,
          cameraId: c.item.cameraId,
          cameraName: c.item.cameraName,
          time: c.item.createdAt.toISOString(),
          split: partNames[p]!,
          quality: c.quality,
        });
      }
    }
    progress.stop();
    const sorted = sortRows(rows, partNames);
    const report = buildReport(sorted, partNames, { split, seed, skipped });
    // No timestamps in these files: the same data and seed must give byte-identical output.
    await writeFile(path.join(outDir, 'manifest.json'), `${JSON.stringify({ split, seed, parts: report.parts, items: sorted }, null, 2)}\n`);
    await writeFile(path.join(outDir, 'manifest.csv'), manifestCsv(sorted));
    await writeFile(path.join(outDir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
    await db.repos.audit.append(cliActor(), {
      action: 'dataset.export',
      objectType: 'dataset',
      objectId: outDir,
      details: { split, seed, parts: report.parts, classes: report.classBalance.overall.classes.length, flagged: report.classBalance.overall.flagged, skipped },
    });
    out(values.json ? `${JSON.stringify(report)}\n` : formatReport(report, outDir));
    return 0;
  } finally {
    progress?.stop();
    await db.close();
  }
}

async function ensureEmptyDir(dir: string): Promise<void> {
  try {
    if ((await readdir(dir)).length > 0) throw new InvalidInputError(`${dir} is not empty; export into a new or empty folder.`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') throw new InvalidInputError(`${dir} is a file; give a folder for --out.`);
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(dir, { recursive: true });
}

async function readIfPresent(file: string): Promise<Buffer | null> {
  try {
    return await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** Media paths come from the database; refuse any that would leave the media folder. */
function resolveMedia(root: string, relative: string): string | null {
  const absolute = path.resolve(root, relative);
  return absolute.startsWith(root + path.sep) ? absolute : null;
}

/**
 * Image statistics of the whole crop, with the measures the face quality gate uses
 * (contrast-normalised Laplacian sharpness, mean luminance, clipped share) on a QUALITY_CROP_SIZE
 * grey square, flagged against the recognition profile's limits. Null when the file is not an image.
 */
async function measure(file: Buffer, limits: ReturnType<typeof resolveQualityThresholds>): Promise<ManifestRow['quality'] | null> {
  let grey: Buffer;
  try {
    grey = await sharp(file).removeAlpha().greyscale().resize(QUALITY_CROP_SIZE, QUALITY_CROP_SIZE, { fit: 'fill' }).raw().toBuffer();
  } catch {
    return null;
  }
  const stats = cropStatistics(Float32Array.from(grey));
  const flags: QualityFlag[] = [];
  if (stats.sharpness < limits.minSharpness) flags.push('blurred');
  if (stats.meanLuminance < limits.minMeanLuminance) flags.push('dark');
  if (stats.meanLuminance > limits.maxMeanLuminance) flags.push('washed_out');
  return { ...stats, flags };
}

function cliActor(): { tokenId: null; name: string; role: string } {
  let user = 'unknown user';
  try {
    user = os.userInfo().username;
  } catch {
    /* no passwd entry (containers) */
  }
  return { tokenId: null, name: `cli (${user})`, role: 'cli' };
}
