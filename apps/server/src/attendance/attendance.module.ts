import { DynamicModule, Module } from '@nestjs/common';
import { AttendanceController } from './attendance.controller';
import { AttendanceService } from './attendance.service';

/** Booking attendance: used by the worker (camera tracks) and the api (kiosk, reports). */
@Module({})
export class AttendanceCoreModule {
  static register(core: DynamicModule): DynamicModule {
    return { module: AttendanceCoreModule, imports: [core], providers: [AttendanceService], exports: [AttendanceService] };
  }
}

@Module({})
export class AttendanceModule {
  static register(attendanceCore: DynamicModule): DynamicModule {
    return { module: AttendanceModule, imports: [attendanceCore], controllers: [AttendanceController] };
  }
}
