import type { ScanJobView, ScanMediaView, ScanProgressView, ScanSummaryView } from '@vigil/contracts';
import type { ScanJobRow } from '@vigil/persistence';

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

/** A scan job as consoles see it: never where its files are, nor who asked beyond the name shown. */
export function toScanJobView(row: ScanJobRow): ScanJobView {
  return {
    id: row.id,
    status: row.status,
    list: row.list,
    fileName: row.originalName,
    sizeBytes: Number(row.sizeBytes),
    media: (row.probe as unknown as ScanMediaView | null) ?? null,
    progress: (row.progress as unknown as ScanProgressView | null) ?? null,
    summary: (row.summary as unknown as ScanSummaryView | null) ?? null,
    error: row.error,
    requestedBy: row.requestedByName,
    worker: row.workerName,
    createdAt: iso(row.createdAt)!,
    startedAt: iso(row.startedAt),
    finishedAt: iso(row.finishedAt),
    reportUrl: row.status === 'finished' && row.reportDir ? `/api/scans/${row.id}/report` : null,
  };
}
