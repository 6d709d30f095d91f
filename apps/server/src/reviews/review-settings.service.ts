import { Injectable, Logger } from '@nestjs/common';
import { actorOf, Principal } from '@vigil/auth';
import { InvalidInputError, type ReviewSettings, validateReviewSettingsPatch } from '@vigil/domain';
import { Database } from '@vigil/persistence';
import { AppEvents } from '../core/app-events';
import { loadReviewSettings } from './review-sampling';

/** Sampling rates, retention and KPI targets from the `setting` table (defaults and bounds in @vigil/domain). */
@Injectable()
export class ReviewSettingsService {
  private readonly logger = new Logger('ReviewSettings');

  constructor(private readonly db: Database, private readonly events: AppEvents) {}

  /** Read on every use (one small query), so a change made in another process applies at once. */
  current(): Promise<ReviewSettings> {
    return loadReviewSettings(this.db.repos);
  }

  async update(by: Principal, patch: Partial<Record<keyof ReviewSettings, number | null>>): Promise<ReviewSettings> {
    const values = validateReviewSettingsPatch(patch);
    if (Object.keys(values).length === 0) throw new InvalidInputError('Send at least one setting to change.');
    const updated = await this.db.transaction(async (repos) => {
      await repos.settings.setMany(values, by.tokenId, by.userId);
      await repos.audit.append(actorOf(by), { action: 'settings.update', objectType: 'setting', objectId: 'review', details: { changes: values } });
      return loadReviewSettings(repos);
    });
    this.logger.log({ changes: values, by: by.name }, 'review settings changed');
    this.events.emit('review.settings-changed');
    return updated;
  }
}
