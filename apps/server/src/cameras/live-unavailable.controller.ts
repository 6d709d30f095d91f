import { Controller, Get, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { UnavailableError } from '@vigil/domain';
import { Roles } from '../auth/roles.decorator';

const WHY =
  'This server process has no cameras (VIGIL_ROLES=api): the live picture, face boxes and recognition attempts are held in the memory of the process that runs the cameras. Open the console on a process started with VIGIL_ROLES=api,worker.';

/** In an api-only process the live views' routes exist, and say plainly why they cannot answer (503). */
@ApiTags('cameras')
@Controller('cameras/:id')
export class LiveViewsUnavailableController {
  @Get('snapshot')
  @Roles('admin', 'security')
  @ApiOperation({ summary: 'Served by a process that also runs the cameras; here 503' })
  snapshot(@Param('id', new ParseUUIDPipe()) _id: string): never {
    throw new UnavailableError(WHY);
  }

  @Get('overlay')
  @Roles('admin', 'security')
  @ApiOperation({ summary: 'Served by a process that also runs the cameras; here 503' })
  overlay(@Param('id', new ParseUUIDPipe()) _id: string): never {
    throw new UnavailableError(WHY);
  }

  @Get('attempts')
  @Roles('admin')
  @ApiOperation({ summary: 'Served by a process that also runs the cameras; here 503' })
  attempts(@Param('id', new ParseUUIDPipe()) _id: string): never {
    throw new UnavailableError(WHY);
  }

  @Get('attempts/:attemptId/thumbnail')
  @Roles('admin')
  @ApiOperation({ summary: 'Served by a process that also runs the cameras; here 503' })
  thumbnail(@Param('id', new ParseUUIDPipe()) _id: string): never {
    throw new UnavailableError(WHY);
  }

  @Post('attempts/:attemptId/enrol')
  @Roles('admin')
  @ApiOperation({ summary: 'Served by a process that also runs the cameras; here 503' })
  enrol(@Param('id', new ParseUUIDPipe()) _id: string): never {
    throw new UnavailableError(WHY);
  }
}
