import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Principal } from '@vigil/auth';
import type { CameraOverlayView, EnrolmentView, RecognitionAttemptsView } from '@vigil/contracts';
import { CurrentPrincipal, Roles } from '../auth/roles.decorator';
import { EnrolFromAttemptDto } from './camera-live.dto';
import { CameraLiveService } from './camera-live.service';

/**
 * What a camera sees now and what recognition made of it: the latest frame, the boxes of the last
 * analysis, and the recent recognition attempts. All from the worker's memory, never stored.
 */
@ApiTags('cameras')
@Controller('cameras/:id')
export class CameraLiveController {
  constructor(private readonly live: CameraLiveService) {}

  @Get('snapshot')
  @Roles('admin', 'security')
  @ApiProduces('image/jpeg')
  @ApiOperation({ summary: "The camera's latest frame as JPEG, encoded on demand and never stored (404 before the first frame, 429 above ~2 per second per caller)" })
  async snapshot(@CurrentPrincipal() by: Principal, @Param('id', new ParseUUIDPipe()) id: string, @Res() res: Response): Promise<void> {
    const jpeg = await this.live.snapshot(by, id);
    sendJpeg(res, jpeg);
  }

  @Get('overlay')
  @Roles('admin', 'security')
  @ApiOperation({ summary: 'The faces of the last analysis (frame pixels) with their tracks\' vote state, to draw over the snapshot' })
  async overlay(@Param('id', new ParseUUIDPipe()) id: string): Promise<CameraOverlayView> {
    return this.live.overlay(id);
  }

  @Get('attempts')
  @Roles('admin')
  @ApiOperation({ summary: 'The last ~200 analysed faces of the last minutes (quality verdict, nearest person and distance, vote state), newest first; never stored' })
  async attempts(@Param('id', new ParseUUIDPipe()) id: string): Promise<RecognitionAttemptsView> {
    return this.live.attempts(id);
  }

  @Get('attempts/:attemptId/thumbnail')
  @Roles('admin')
  @ApiProduces('image/jpeg')
  @ApiOperation({ summary: 'The face of an attempt that matched or came close (404 once forgotten)' })
  async thumbnail(@Param('id', new ParseUUIDPipe()) id: string, @Param('attemptId', new ParseUUIDPipe()) attemptId: string, @Res() res: Response): Promise<void> {
    sendJpeg(res, await this.live.thumbnail(id, attemptId));
  }

  @Post('attempts/:attemptId/enrol')
  @Roles('admin')
  @ApiOperation({ summary: "Enrol an attempt's face for a person: same quality gate and consent rules as a photo upload (422 with reasons, 409 without consent)" })
  async enrol(
    @CurrentPrincipal() by: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('attemptId', new ParseUUIDPipe()) attemptId: string,
    @Body() body: EnrolFromAttemptDto,
  ): Promise<EnrolmentView> {
    return this.live.enrol(by, id, attemptId, body.personId);
  }
}

function sendJpeg(res: Response, jpeg: Buffer): void {
  res.setHeader('Cache-Control', 'private, no-store');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.type('image/jpeg').send(jpeg);
}
