import { Controller, Get, Param, ParseUUIDPipe, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { actorOf, Principal } from '@vigil/auth';
import { NotFoundError } from '@vigil/domain';
import { Database } from '@vigil/persistence';
import { CurrentPrincipal, Roles } from '../auth/roles.decorator';
import { MediaStore } from '@vigil/gallery';

/** Stored images (reference photos, crops, frames): authorised, and every view is audited. */
@ApiTags('media')
@Controller('media')
export class MediaController {

  constructor(private readonly db: Database, private readonly store: MediaStore) {
  }

  @Get(':id')
  @Roles('admin', 'security', 'reviewer')
  @ApiProduces('image/jpeg', 'image/png', 'image/webp')
  @ApiOperation({ summary: 'An image by id (as linked from alerts and references); each view is audited' })
  async get(@CurrentPrincipal() by: Principal, @Param('id', new ParseUUIDPipe()) id: string, @Res() res: Response): Promise<void> {
    const media = await this.db.repos.media.findById(id);
    const file = media ? this.store.resolve(media.path) : null;
    if (!media || !file) throw new NotFoundError(`No image with id ${id}.`);
    await this.db.repos.audit.append(actorOf(by), { action: 'media.view', objectType: 'media', objectId: id, details: { kind: media.kind } });
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
}
