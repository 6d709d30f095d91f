import { Inject, Injectable } from '@nestjs/common';
import type { VigilConfig } from '@vigil/config';
import { AttendanceDecision, decideAttendance, localDate } from '@vigil/domain';
import { AttendanceRow, Database } from '@vigil/persistence';
import { AppEvents } from '../core/app-events';
import { DecisionEvidence, recordEvidence } from '../core/decision-evidence';
import { VIGIL_CONFIG } from '../core/core.module';

export interface AttendanceSighting {
  personId: string;
  at: Date;
  score: number;
  source: 'camera' | 'kiosk';
  cameraId?: string | null;
  kioskTokenId?: string | null;
  /** Camera decisions: the track and sighting behind it, stored with the booking (not for ignored ones). */
  evidence?: DecisionEvidence;
}

/** Books attendance from a decided sighting (a camera track or a kiosk check) by the day's rules. */
@Injectable()
export class AttendanceService {
  constructor(private readonly db: Database, private readonly events: AppEvents, @Inject(VIGIL_CONFIG) private readonly config: VigilConfig) {}

  async record(sighting: AttendanceSighting): Promise<{ decision: AttendanceDecision; event: AttendanceRow | null }> {
    const day = localDate(sighting.at, this.config.timeZone);
    const result = await this.db.transaction(async (repos) => {
      await repos.attendance.lockPerson(sighting.personId);
      const decision = decideAttendance(await repos.attendance.ofDay(sighting.personId, day), sighting.at, { timeZone: this.config.timeZone });
      if (decision.kind === 'ignore') return { decision, event: null };
      const { evidence, ...booking } = sighting;
      const recorded = evidence && booking.cameraId ? await recordEvidence(repos, { cameraId: booking.cameraId, personId: booking.personId, score: booking.score }, evidence) : null;
      const event = await repos.attendance.insert({ ...booking, kind: decision.kind, localDate: day, trackId: recorded?.trackId, sightingId: recorded?.sightingId });
      return { decision, event };
    });
    if (result.event) this.events.emit('attendance.recorded');
    return result;
  }

  ofDate(date: string): Promise<AttendanceRow[]> {
    return this.db.repos.attendance.ofDate(date);
  }

  today(): string {
    return localDate(new Date(), this.config.timeZone);
  }
}
