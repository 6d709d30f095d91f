import { formatVideoTime } from './scan-rules';
import type { ScanFileResult, ScanListChoice, ScanMatch, ScanReport, ScanStatus } from './scan-types';

/** Where a match's crop is written, relative to the report folder. */
export function cropFileName(match: Pick<ScanMatch, 'index'>): string {
  return `crops/match-${String(match.index).padStart(4, '0')}.jpg`;
}

export interface ScanReportJson {
  status: ScanStatus;
  list: ScanListChoice;
  analysisFps: number;
  detector: string;
  modelVersionId: number | null;
  modelVersionLabel: string | null;
  startedAt: string;
  finishedAt: string;
  elapsedSeconds: number;
  totals: { files: number; failedFiles: number; framesAnalysed: number; facesSeen: number; matches: number; strangers: number };
  files: ScanFileResult[];
  matches: Array<Omit<ScanMatch, 'crop'> & { firstSeen: string; crop: string }>;
  people: Array<{ personId: string; name: string; list: string }>;
}

/** report.json: the report without image bytes (crops are files beside it; enrolled photos only in the HTML). */
export function reportJson(report: ScanReport): ScanReportJson {
  return {
    status: report.status,
    list: report.list,
    analysisFps: report.analysisFps,
    detector: report.detector,
    modelVersionId: report.modelVersionId,
    modelVersionLabel: report.modelVersionLabel,
    startedAt: report.startedAt,
    finishedAt: report.finishedAt,
    elapsedSeconds: report.elapsedSeconds,
    totals: {
      files: report.files.length,
      failedFiles: report.files.filter((f) => f.status === 'failed').length,
      framesAnalysed: sum(report.files, (f) => f.framesAnalysed),
      facesSeen: sum(report.files, (f) => f.facesSeen),
      matches: report.matches.length,
      strangers: sum(report.files, (f) => f.strangers),
    },
    files: report.files.map((f) => ({ ...f })),
    matches: report.matches.map(({ crop: _crop, ...m }) => ({ ...m, box: { ...m.box }, firstSeen: formatVideoTime(m.firstSeenSeconds), crop: cropFileName(m) })),
    people: report.people.map((p) => ({ personId: p.personId, name: p.name, list: p.list })),
  };
}

function sum<T>(items: readonly T[], of: (item: T) => number): number {
  return items.reduce((n, item) => n + of(item), 0);
}

export const CSV_HEADER = ['match', 'person', 'person_id', 'list', 'file', 'time', 'first_seen_s', 'decided_s', 'last_seen_s', 'score', 'sightings', 'crop'] as const;

/** report.csv: one row per match, times both readable and in seconds (for spreadsheets). */
export function reportCsvRows(report: ScanReport): string[][] {
  return [
    [...CSV_HEADER],
    ...report.matches.map((m) => [
      String(m.index),
      m.name,
      m.personId,
      m.list,
      m.file,
      formatVideoTime(m.firstSeenSeconds),
      m.firstSeenSeconds.toFixed(1),
      m.decidedSeconds.toFixed(1),
      m.lastSeenSeconds.toFixed(1),
      m.score.toFixed(3),
      String(m.sightings),
      cropFileName(m),
    ]),
  ];
}

/**
 * RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled. A field starting
 * with = + - @ (or tab/CR) gets a leading apostrophe, so a file or person name cannot run as a
 * formula when the CSV is opened in a spreadsheet.
 */
export function toCsv(rows: readonly (readonly string[])[]): string {
  return rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) && !/^-?\d+(\.\d+)?$/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
