import { Controller, HttpCode, Post, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@vigil/auth';
import { CurrentPrincipal, Roles } from '../auth/roles.decorator';
import { MAX_UPLOAD_BYTES } from '../gallery/faces.controller';
import { KioskService } from './kiosk.service';

@ApiTags('kiosk')
@Controller('kiosk')
export class KioskController {
  constructor(private readonly kiosk: KioskService) {}

  @Post('check')
  @Roles('kiosk', 'admin')
  @HttpCode(200)
  @UseInterceptors(FileInterceptor('image', { limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 0 } }))
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { image: { type: 'string', format: 'binary' } }, required: ['image'] } })
  @ApiOperation({ summary: 'One kiosk frame → checked_in / checked_out / already_recorded / not_recognised / no_face / retry (with a message for the screen)' })
  check(@CurrentPrincipal() kiosk: Principal, @UploadedFile() image: { buffer: Buffer } | undefined) {
    return this.kiosk.check(kiosk, image);
  }
}
