import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Principal } from '@vigil/auth';
import type { ScanJobView, ScanReportView } from '@vigil/contracts';
import { NotFoundError } from '@vigil/domain';
import { CurrentPrincipal, Roles } from '../auth/roles.decorator';
import { CreateScanDto, ScanReportQuery } from './scans.dto';
import { ScansService } from './scans.service';
import { ScanUploadErrors } from './scan-upload.interceptor';
import type { StoredUpload } from './scan-upload.storage';

const CONTENT_TYPE = { json: 'application/json', csv: 'text/csv; charset=utf-8', html: 'text/html; charset=utf-8' } as const;

/**
 * Scan jobs (admin only): an uploaded recording or photo scanned against a list by a worker, with
 * live progress (`scan.progress`) and a report. Admin only: an upload costs a worker's time and
 * disk, the report shows faces and identities of listed people, and the jobs are the admin
 * console's — security consoles watch the live cameras.
 */
@ApiTags('scans')
@Controller('scans')
export class ScansController {
  constructor(private readonly scans: ScansService) {}

  @Post()
  @Roles('admin')
  // Limits and the disk storage come from ScansModule's MulterModule (VIGIL_SCAN_MAX_UPLOAD_MB).
  @UseInterceptors(ScanUploadErrors, FileInterceptor('file'))
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      properties: { file: { type: 'string', format: 'binary' }, list: { type: 'string', enum: ['watchlist', 'employee', 'all'] } },
      required: ['file'],
    },
  })
  @ApiOperation({ summary: 'Upload a video or photo to scan (streamed to disk, probed with ffprobe) → the queued job; 413 over VIGIL_SCAN_MAX_UPLOAD_MB, 415/422 when it is not readable media' })
  async create(@CurrentPrincipal() by: Principal, @UploadedFile() file: StoredUpload | undefined, @Body() body: CreateScanDto): Promise<ScanJobView> {
    return this.scans.create(by, file, body?.list ?? 'watchlist');
  }

  @Get()
  @Roles('admin')
  @ApiOperation({ summary: 'The newest 100 scan jobs, newest first' })
  list(): Promise<ScanJobView[]> {
    return this.scans.list();
  }

  @Get(':id')
  @Roles('admin')
  @ApiOperation({ summary: 'One scan job: status, progress, summary, error' })
  get(@Param('id', new ParseUUIDPipe()) id: string): Promise<ScanJobView> {
    return this.scans.get(id);
  }

  @Post(':id/cancel')
  @Roles('admin')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel a queued or running scan (a running one stops its ffmpeg within about a second); 409 once it has ended' })
  cancel(@CurrentPrincipal() by: Principal, @Param('id', new ParseUUIDPipe()) id: string): Promise<ScanJobView> {
    return this.scans.cancel(by, id);
  }

  @Get(':id/report')
  @Roles('admin')
  @ApiProduces('application/json', 'text/csv', 'text/html')
  @ApiOperation({ summary: 'A finished scan\'s report (matches with crop, time in video, score; per-file stats); ?format=json|csv|html downloads the report files. Views are audited' })
  async report(
    @CurrentPrincipal() by: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() query: ScanReportQuery,
    @Res() res: Response,
  ): Promise<void> {
    if (!query.format) {
      const view: ScanReportView = await this.scans.report(by, id);
      res.setHeader('Cache-Control', 'private, no-store');
      res.json(view);
      return;
    }
    const file = await this.scans.reportFile(by, id, query.format);
    res.setHeader('Cache-Control', 'private, no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    // Always a download: the HTML report is a stand-alone file, not a page of this origin.
    res.attachment(file.name);
    res.type(CONTENT_TYPE[query.format]);
    await send(res, file.path, 'The report of this scan is no longer stored.');
  }

  @Get(':id/crops/:name')
  @Roles('admin')
  @ApiProduces('image/jpeg')
  @ApiOperation({ summary: 'The face crop of one match of a finished scan (audited)' })
  async crop(@CurrentPrincipal() by: Principal, @Param('id', new ParseUUIDPipe()) id: string, @Param('name') name: string, @Res() res: Response): Promise<void> {
    const file = await this.scans.crop(by, id, name);
    res.setHeader('Cache-Control', 'private, no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.type('image/jpeg');
    await send(res, file, `The crop ${name} is no longer stored.`);
  }
}

function send(res: Response, file: string, gone: string): Promise<void> {
  return new Promise<void>((resolve, reject) =>
    res.sendFile(file, { dotfiles: 'deny' }, (error) => {
      if (!error) return resolve();
      if (!res.headersSent && (error as NodeJS.ErrnoException).code === 'ENOENT') return reject(new NotFoundError(gone));
      reject(error);
    }),
  );
}
