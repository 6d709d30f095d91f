import { Injectable, Logger } from '@nestjs/common';
import { readFile } from 'node:fs/promises';
import { actorOf, type Principal } from '@vigil/auth';
import type { ScanFileStatsView, ScanJobView, ScanListName, ScanMatchView, ScanReportView } from '@vigil/contracts';
import { ConflictError, InvalidInputError, NotFoundError } from '@vigil/domain';
import { Database, type ScanJobRow } from '@vigil/persistence';
import { AppEvents } from '../core/app-events';
import { probeUpload } from './scan-core';
import { toScanJobView } from './scan-job.view';
import { ReportFormat, ScanStorage } from './scan-storage';
import type { StoredUpload } from './scan-upload.storage';

/** Repeated views of one job's report (or one crop) by one viewer within this window make one audit row. */
const VIEW_AUDIT_WINDOW_SECONDS = 600;
const LIST_LIMIT = 100;

/** The part of report.json the browser view reads (written by @vigil/scan's writeReports). */
interface ReportJson {
  analysisFps?: number;
  files?: Array<{ file: string; status: string; error: string | null; durationSeconds: number; framesAnalysed: number; facesSeen: number; matches: number }>;
  matches?: Array<{ index: number; file: string; personId: string; name: string; list: 'watchlist' | 'employee'; firstSeenSeconds: number; score: number; distance: number; crop: string }>;
}

/**
 * Scan jobs on the api side: accepts an upload (already streamed to disk by ScanUploadStorage),
 * probes it before anything is queued, and reads jobs and their reports. Running them is the
 * worker's (ScanRunner); the row is all the two share.
 */
@Injectable()
export class ScansService {
  private readonly logger = new Logger('Scans');

  constructor(
    private readonly db: Database,
    private readonly storage: ScanStorage,
    private readonly events: AppEvents,
  ) {}

  async create(by: Principal, upload: StoredUpload | undefined, list: ScanListName): Promise<ScanJobView> {
    if (!upload) throw new InvalidInputError('Choose a video or photo to scan (multipart form field "file").');
    try {
      const media = await probeUpload(upload.path, upload.originalname);
      const row = await this.db.transaction(async (repos) => {
        const created = await repos.scanJobs.create({
          id: upload.jobId,
          list,
          originalName: upload.originalname.slice(0, 255),
          mediaPath: this.storage.relative(upload.path),
          sizeBytes: upload.size,
          probe: { ...media },
          requestedByUserId: by.userId,
          requestedByTokenId: by.tokenId,
          requestedByName: by.name,
        });
        // Ids and sizes only: a file name may itself name a person.
        await repos.audit.append(actorOf(by), { action: 'scan.create', objectType: 'scan_job', objectId: created.id, details: { list, sizeBytes: upload.size, kind: media.kind } });
        return created;
      });
      this.events.emit('scan.changed');
      return toScanJobView(row);
    } catch (error) {
      await this.storage.removeJob(upload.jobId).catch(() => undefined);
      throw error;
    }
  }

  async list(): Promise<ScanJobView[]> {
    return (await this.db.repos.scanJobs.list(LIST_LIMIT)).map(toScanJobView);
  }

  async get(id: string): Promise<ScanJobView> {
    return toScanJobView(await this.row(id));
  }

  async cancel(by: Principal, id: string): Promise<ScanJobView> {
    const result = await this.db.transaction(async (repos) => {
      const outcome = await repos.scanJobs.cancel(id);
      if (outcome?.cancelled) await repos.audit.append(actorOf(by), { action: 'scan.cancel', objectType: 'scan_job', objectId: id, details: {} });
      return outcome;
    });
    if (!result) throw new NotFoundError(`No scan job with id ${id}.`);
    if (!result.cancelled) throw new ConflictError(`The scan has already ended (${result.row.status}); there is nothing to cancel.`);
    this.events.emit('scan.changed');
    // A queued job has no worker to clean up after it; a running one's worker does (it stops within a second).
    if (result.row.startedAt === null) await this.storage.removeUpload(id).catch((error: unknown) => this.logger.warn({ err: error, jobId: id }, 'could not remove a cancelled scan upload'));
    return toScanJobView(result.row);
  }

  async report(by: Principal, id: string): Promise<ScanReportView> {
    const row = await this.finishedRow(id);
    const file = this.storage.reportFile(row.reportDir!, 'json');
    const text = file ? await readFile(file, 'utf8').catch(() => null) : null;
    if (text === null) throw new NotFoundError('The report of this scan is no longer stored.');
    const json = JSON.parse(text) as ReportJson;
    await this.auditView(by, id, 'scan.report.view', { format: 'view' });
    const references = new Map<string, string | null>();
    for (const personId of new Set((json.matches ?? []).map((m) => m.personId))) references.set(personId, await this.referenceUrl(personId));
    const files: ScanFileStatsView[] = (json.files ?? []).map((f) => ({
      file: f.file,
      status: f.status === 'ok' ? 'scanned' : 'failed',
      error: f.error,
      durationSeconds: f.durationSeconds || null,
      framesAnalysed: f.framesAnalysed,
      faces: f.facesSeen,
      matches: f.matches,
    }));
    const matches: ScanMatchView[] = (json.matches ?? []).map((m) => ({
      file: m.file,
      atSeconds: m.firstSeenSeconds,
      personId: m.personId,
      personName: m.name,
      list: m.list,
      score: m.score,
      distance: m.distance,
      cropUrl: `/api/scans/${id}/crops/${m.crop.replace(/^crops\//, '')}`,
      referenceUrl: references.get(m.personId) ?? null,
    }));
    const base = `/api/scans/${id}/report`;
    return {
      job: toScanJobView(row),
      files,
      matches,
      analysisIntervalSeconds: json.analysisFps ? 1 / json.analysisFps : null,
      downloads: { json: `${base}?format=json`, csv: `${base}?format=csv`, html: `${base}?format=html` },
    };
  }

  /** A report file to download (audited). */
  async reportFile(by: Principal, id: string, format: ReportFormat): Promise<{ path: string; name: string }> {
    const row = await this.finishedRow(id);
    const path = this.storage.reportFile(row.reportDir!, format);
    if (!path) throw new NotFoundError('The report of this scan is no longer stored.');
    await this.auditView(by, id, 'scan.report.view', { format });
    return { path, name: `scan-${id.slice(0, 8)}.${format}` };
  }

  /** A match's face crop (audited like media views). */
  async crop(by: Principal, id: string, name: string): Promise<string> {
    const row = await this.finishedRow(id);
    const path = this.storage.cropFile(row.reportDir!, name);
    if (!path) throw new NotFoundError(`No crop ${name} in this scan's report.`);
    await this.auditView(by, id, 'scan.crop.view', { crop: name });
    return path;
  }

  private async row(id: string): Promise<ScanJobRow> {
    const row = await this.db.repos.scanJobs.get(id);
    if (!row) throw new NotFoundError(`No scan job with id ${id}.`);
    return row;
  }

  private async finishedRow(id: string): Promise<ScanJobRow> {
    const row = await this.row(id);
    if (row.status !== 'finished' || !row.reportDir) {
      const why = row.status === 'failed' ? `it failed: ${row.error}` : row.status === 'cancelled' ? 'it was cancelled' : `it is still ${row.status}`;
      throw new ConflictError(`This scan has no report: ${why}`);
    }
    return row;
  }

  private async referenceUrl(personId: string): Promise<string | null> {
    for (const ref of await this.db.repos.faceReferences.listByPerson(personId)) {
      if (ref.sourceMediaId && (await this.db.repos.media.findViewable(ref.sourceMediaId))) return `/api/media/${ref.sourceMediaId}`;
    }
    return null;
  }

  /** One audit row per viewer, job and action per window (reloading a report cannot grow the trail without bound). */
  private async auditView(by: Principal, id: string, action: string, details: Record<string, unknown>): Promise<void> {
    const actor = actorOf(by);
    const entry = { action, objectType: 'scan_job', objectId: id };
    await this.db.transaction(async (repos) => {
      await repos.lock(`audit:${action}:${actor.tokenId ?? '-'}:${actor.userId ?? '-'}:${actor.role}:${id}`);
      if (await repos.audit.recordedWithin(actor, entry, VIEW_AUDIT_WINDOW_SECONDS)) return;
      await repos.audit.append(actor, { ...entry, details: { ...details, coalescesRepeatsWithinSeconds: VIEW_AUDIT_WINDOW_SECONDS } });
    });
  }
}
