import { CallHandler, ExecutionContext, HttpException, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import { catchError, type Observable } from 'rxjs';
import type { VigilConfig } from '@vigil/config';
import { InvalidInputError, PayloadTooLargeError } from '@vigil/domain';
import { VIGIL_CONFIG } from '../core/core.module';
import { ScanStorage } from './scan-storage';

/**
 * Wraps the upload (multer, inside): whatever fails — the size limit, a broken request, a refused
 * field, the probe, the insert — the job's folder goes, so a refused upload leaves nothing on disk,
 * and the size refusal says what the limit is.
 */
@Injectable()
export class ScanUploadErrors implements NestInterceptor {
  constructor(
    @Inject(VIGIL_CONFIG) private readonly config: VigilConfig,
    private readonly storage: ScanStorage,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<{ scanJobId?: string }>();
    return next.handle().pipe(
      catchError((error: unknown) => {
        const jobId = req.scanJobId;
        const cleanup = jobId ? this.storage.removeJob(jobId).catch(() => undefined) : Promise.resolve();
        return cleanup.then(() => {
          throw this.translate(error);
        });
      }),
    );
  }

  private translate(error: unknown): unknown {
    if (!(error instanceof HttpException)) return error;
    const status = error.getStatus();
    const mb = Math.round(this.config.scanMaxUploadBytes / (1024 * 1024));
    if (status === 413) return new PayloadTooLargeError(`The file is larger than the scan upload limit of ${mb} MB (VIGIL_SCAN_MAX_UPLOAD_MB). Cut it into shorter parts, or ask the operator to raise the limit.`, { maxBytes: this.config.scanMaxUploadBytes });
    if (status === 400 && /unexpected field/i.test(error.message)) return new InvalidInputError('Send the video or photo in the multipart form field "file" (and optionally "list"), one file per scan.');
    return error;
  }
}
