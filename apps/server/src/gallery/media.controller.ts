import { Controller, Get, Param, ParseUUIDPipe, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { actorOf, Principal } from '@vigil/auth';
import { NotFoundError } from '@vigil/domain';
import { Database } from '@vigil/persistence';
import { CurrentPrincipal, Roles } from '../auth/roles.decorator';
import { MediaStore } from '@vigil/gallery';

/**
 * Repeated views of one image by one viewer within this window make one audit row: the trail says
 * who looked at what and when (to the window), and a viewer reloading a page cannot grow it without bound.
 */
export const MEDIA_VIEW_AUDIT_WINDOW_SECONDS = 600;

/**
 * Stored images (reference photos, crops, frames): authorised, and viewing is audited (one row per
 * viewer and image per MEDIA_VIEW_AUDIT_WINDOW_SECONDS). A reference photo is served only while a
 * current reference uses it: a removed face's photo is kept for rollback, not shown.
 */
@ApiTags('media')
@Controller('media')
export class MediaController {
  constructor(
    private readonly db: Database,
    private readonly store: MediaStore,
  ) {}

  @Get(':id')
  @Roles('admin', 'security', 'reviewer')
  @ApiProduces('image/jpeg', 'image/png', 'image/webp')
  @ApiOperation({ summary: 'An image by id (as linked from alerts and current references); views are audited, one row per viewer and image per 10 minutes' })
  async get(@CurrentPrincipal() by: Principal, @Param('id', new ParseUUIDPipe()) id: string, @Res() res: Response): Promise<void> {
    const media = await this.db.repos.media.findViewable(id);
    const file = media ? this.store.resolve(media.path) : null;
    if (!media || !file) throw new NotFoundError(`No image with id ${id}.`);
    await this.audit(by, id, media.kind);
    res.setHeader('Cache-Control', 'private, no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.type(media.contentType);
    await new Promise<void>((resolve, reject) =>
      res.sendFile(file, { dotfiles: 'deny' }, (error) => {
        if (!error) return resolve();
        if (!res.headersSent && (error as NodeJS.ErrnoException).code === 'ENOENT') return reject(new NotFoundError(`The image ${id} is no longer stored.`));
        reject(error);
      }),
    );
  }

  /** One audit row per viewer and image per window; the lock makes concurrent views of the same pair write one. */
  private async audit(by: Principal, id: string, kind: string): Promise<void> {
    const actor = actorOf(by);
    const entry = { action: 'media.view', objectType: 'media', objectId: id };
    await this.db.transaction(async (repos) => {
      await repos.lock(`audit:media.view:${actor.tokenId ?? '-'}:${actor.userId ?? '-'}:${actor.role}:${id}`);
      if (await repos.audit.recordedWithin(actor, entry, MEDIA_VIEW_AUDIT_WINDOW_SECONDS)) return;
      await repos.audit.append(actor, { ...entry, details: { kind, coalescesRepeatsWithinSeconds: MEDIA_VIEW_AUDIT_WINDOW_SECONDS } });
    });
  }
}
