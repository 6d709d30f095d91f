import { Inject, Injectable, Logger } from '@nestjs/common';
import { actorOf, Principal } from '@vigil/auth';
import type { VigilConfig } from '@vigil/config';
import type { RetentionSettingsView } from '@vigil/contracts';
import {
  EVIDENCE_RETENTION_KEYS, evidenceRetentionDefaults, InvalidInputError, resolveEvidenceRetention, validateEvidenceRetentionPatch, type EvidenceRetention,
} from '@vigil/domain';
import { Database, Repositories } from '@vigil/persistence';
import { VIGIL_CONFIG } from '../core/core.module';
import { loadReviewSettings } from '../reviews/review-sampling';
import { toRetentionView } from './retention.view';

/**
 * How long evidence is kept: the `setting` table over the environment's VIGIL_RETENTION_*_DAYS
 * over the built-in defaults (bounds and defaults in @vigil/domain). Read on every use, so a
 * change made in another process applies at the next retention run.
 */
@Injectable()
export class RetentionSettingsService {
  private readonly logger = new Logger('RetentionSettings');
  private readonly defaults: EvidenceRetention;

  constructor(private readonly db: Database, @Inject(VIGIL_CONFIG) private readonly config: VigilConfig) {
    this.defaults = evidenceRetentionDefaults(config.retentionDefaults);
  }

  async policy(repos: Repositories = this.db.repos): Promise<EvidenceRetention> {
    return resolveEvidenceRetention(await repos.settings.getMany(EVIDENCE_RETENTION_KEYS), this.defaults);
  }

  async current(repos: Repositories = this.db.repos): Promise<RetentionSettingsView> {
    const stored = await repos.settings.getMany(EVIDENCE_RETENTION_KEYS);
    return toRetentionView({
      policy: resolveEvidenceRetention(stored, this.defaults),
      defaults: this.defaults,
      fromEnvironment: this.config.retentionDefaults,
      stored,
      review: await loadReviewSettings(repos),
    });
  }

  /** Numbers are stored; null removes the stored value (back to the default). Audited. */
  async update(by: Principal, patch: Partial<Record<keyof EvidenceRetention, number | null>>): Promise<RetentionSettingsView> {
    const values = validateEvidenceRetentionPatch(patch);
    if (Object.keys(values).length === 0) throw new InvalidInputError('Send at least one of framesDays, cropsDays, attendanceDays (a number of days, or null for the default).');
    const set = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== null));
    const reset = Object.keys(values).filter((key) => values[key] === null);
    const view = await this.db.transaction(async (repos) => {
      await repos.settings.setMany(set, by.tokenId, by.userId);
      await repos.settings.deleteMany(reset);
      await repos.audit.append(actorOf(by), { action: 'settings.update', objectType: 'setting', objectId: 'retention', details: { changes: values } });
      return this.current(repos);
    });
    this.logger.log({ changes: values, by: by.name }, 'retention settings changed');
    return view;
  }
}
