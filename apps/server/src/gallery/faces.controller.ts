import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@vigil/auth';
import type { EnrolmentView, FaceReferenceView } from '@vigil/contracts';
import { MAX_REFERENCE_PHOTO_BYTES } from '@vigil/gallery';
import { CurrentPrincipal, Roles } from '../auth/roles.decorator';
import { EnrolmentService } from './enrolment.service';
import { EnrolFaceDto } from './faces.dto';

/** Uploads beyond this are refused (413) while streaming, before they are buffered whole. */
export const MAX_UPLOAD_BYTES = MAX_REFERENCE_PHOTO_BYTES;

@ApiTags('persons')
@Controller('persons/:id/faces')
export class FacesController {
  constructor(private readonly enrolment: EnrolmentService) {}

  @Post()
  @Roles('admin')
  @UseInterceptors(FileInterceptor('image', { limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 1, fieldSize: 16 } }))
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      properties: {
        image: { type: 'string', format: 'binary' },
        augment: { type: 'string', enum: ['true', 'false'], description: 'Also store flipped, ±8° tilted and ±20 % exposure variants (default false)' },
      },
      required: ['image'],
    },
  })
  @ApiOperation({ summary: 'Enrol one reference photo (JPEG/PNG/WebP, one face) → { id, quality, outlier, variants, … }, or 422 with the quality reasons' })
  async enrol(
    @CurrentPrincipal() by: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @UploadedFile() image: { buffer: Buffer; originalname?: string } | undefined,
    @Body() body: EnrolFaceDto,
  ): Promise<EnrolmentView> {
    return this.enrolment.enrol(by, id, image, body?.augment === 'true');
  }

  /** Security may read it too: the alert dashboard shows the enrolled photo beside the crop. */
  @Get()
  @Roles('admin', 'security', 'reviewer')
  @ApiOperation({ summary: 'The person\'s current references (quality, source, augmentation, outlier flag and weight, imageUrl; never the embedding)' })
  async list(@Param('id', new ParseUUIDPipe()) id: string): Promise<FaceReferenceView[]> {
    return (await this.enrolment.list(id)).map(({ sourceMediaId, ...r }) => ({
      ...r,
      imageUrl: sourceMediaId ? `/api/media/${sourceMediaId}` : null,
      createdAt: r.createdAt.toISOString(),
    }));
  }

  @Delete(':faceId')
  @Roles('admin')
  @HttpCode(204)
  @ApiOperation({ summary: 'Take a reference (and the variants derived from it) out of the gallery' })
  async remove(
    @CurrentPrincipal() by: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('faceId', new ParseUUIDPipe()) faceId: string,
  ): Promise<void> {
    await this.enrolment.remove(by, id, faceId);
  }
}
