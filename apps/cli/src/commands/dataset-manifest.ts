import { classBalance, type ClassBalanceReport } from '@vigil/domain';

/** One exported crop: what a trainer reads from manifest.json / manifest.csv. */
export interface ManifestRow {
  /** Relative to the output folder: images/<split>/<class>/<item id>.jpg */
  file: string;
  itemId: string;
  /** The identity the reviewers agreed on: a person id, or "unknown" for someone not enrolled. */
  class: string;
  personId: string | null;
  list: 'watchlist' | 'employee' | null;
  /** The review label (TP/FP/FN/TN) of the decision the crop came from. */
  label: string;
  cameraId: string | null;
  cameraName: string | null;
  /** When the decision was made (ISO 8601, UTC). */
  time: string;
  split: string;
  quality: { sharpness: number; meanLuminance: number; clippedFraction: number; flags: QualityFlag[] };
}

export type QualityFlag = 'blurred' | 'dark' | 'washed_out';

export interface DatasetReport {
  split: string;
  seed: number;
  parts: Record<string, number>;
  skipped: Record<string, number>;
  classBalance: { overall: ClassBalanceReport; byPart: Record<string, ClassBalanceReport> };
  quality: { images: number; blurred: number; dark: number; washedOut: number; ok: number };
}

/** Stable order: part, class, time, item id — the same input always gives the same bytes. */
export function sortRows(rows: ManifestRow[], parts: readonly string[]): ManifestRow[] {
  const rank = new Map(parts.map((p, i) => [p, i]));
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...rows].sort((a, b) => rank.get(a.split)! - rank.get(b.split)! || cmp(a.class, b.class) || cmp(a.time, b.time) || cmp(a.itemId, b.itemId));
}

export function buildReport(rows: readonly ManifestRow[], parts: readonly string[], meta: { split: string; seed: number; skipped: Record<string, number> }): DatasetReport {
  const byPart: Record<string, ClassBalanceReport> = {};
  const counts: Record<string, number> = {};
  for (const p of parts) {
    const inPart = rows.filter((r) => r.split === p);
    counts[p] = inPart.length;
    byPart[p] = classBalance(inPart.map((r) => r.class));
  }
  const flagged = (f: QualityFlag) => rows.filter((r) => r.quality.flags.includes(f)).length;
  return {
    split: meta.split,
    seed: meta.seed,
    parts: counts,
    skipped: meta.skipped,
    classBalance: { overall: classBalance(rows.map((r) => r.class)), byPart },
    quality: { images: rows.length, blurred: flagged('blurred'), dark: flagged('dark'), washedOut: flagged('washed_out'), ok: rows.filter((r) => r.quality.flags.length === 0).length },
  };
}

const CSV_HEADER = ['file', 'item_id', 'class', 'person_id', 'list', 'label', 'camera_id', 'camera_name', 'time', 'split', 'sharpness', 'mean_luminance', 'clipped_fraction', 'quality_flags'];

/**
 * RFC 4180 quoting; a text cell starting with = + - @ (a spreadsheet formula) gets a leading
 * apostrophe, since camera names are typed by people and the CSV will be opened in spreadsheets.
 */
function cell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;

export function manifestCsv(rows: readonly ManifestRow[]): string {
  const lines = [CSV_HEADER.join(',')];
  for (const r of rows) {
    lines.push(
      [r.file, r.itemId, r.class, r.personId, r.list, r.label, r.cameraId, r.cameraName, r.time, r.split, round(r.quality.sharpness), round(r.quality.meanLuminance), round(r.quality.clippedFraction), r.quality.flags.join('|')]
        .map(cell)
        .join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

export function formatReport(report: DatasetReport, out: string): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
  const lines = [
    `Exported ${report.quality.images} reviewed crops to ${out} (split ${report.split}, seed ${report.seed}).`,
    `Parts: ${Object.entries(report.parts).map(([p, n]) => `${p} ${n}`).join(', ')}.`,
  ];
  const skipped = Object.entries(report.skipped);
  if (skipped.length) lines.push(`Skipped: ${skipped.map(([why, n]) => `${n} ${why.replace(/_/g, ' ')}`).join(', ')}.`);
  lines.push('Class balance (share of all crops):');
  for (const c of report.classBalance.overall.classes) lines.push(`  ${c.class}: ${c.count} (${pct(c.share)})${c.underRepresented ? '  UNDER 10 %' : ''}`);
  const flagged = report.classBalance.overall.flagged;
  lines.push(flagged.length ? `WARNING: ${flagged.length} class(es) under ${pct(report.classBalance.overall.minShare)} of the data: ${flagged.join(', ')}. Collect more of them or weight them in training.` : 'Every class has at least 10 % of the data.');
  const q = report.quality;
  lines.push(`Quality: ${q.ok} ok, ${q.blurred} blurred, ${q.dark} dark, ${q.washedOut} washed-out (an image can be several).`);
  lines.push('Files: manifest.json, manifest.csv, report.json, images/<part>/<class>/<item>.jpg');
  return `${lines.join('\n')}\n`;
}
