import { Inject, Injectable } from '@nestjs/common';
import type { VigilConfig } from '@vigil/config';
import { AttendanceDecision, decideAttendance, localDate } from '@vigil/domain';
import { AttendanceRow, Database } from '@vigil/persistence';
import { AppEvents } from '../core/app-events';
import { VIGIL_CONFIG } from '../core/core.module';

export interface AttendanceSighting {
  personId: string;
  at: Date;
  score: number;
  source: 'camera' | 'kiosk';
  cameraId?: string | null;
  kioskTokenId?: string | null;
  /** The model version whose decision this is. */
  modelVersionId?: number | null;
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
      const event = await repos.attendance.insert({ ...sighting, kind: decision.kind, localDate: day });
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
