import { Controller, HttpCode, Post, UploadedFile, UseGuards, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiOperation, ApiServiceUnavailableResponse, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import type { Principal } from '@vigil/auth';
import { CurrentPrincipal, Roles } from '../auth/roles.decorator';
import { MAX_UPLOAD_BYTES } from '../gallery/faces.controller';
import { KioskRateLimitGuard } from './kiosk-rate-limit.guard';
import { KioskService } from './kiosk.service';

@ApiTags('kiosk')
@Controller('kiosk')
export class KioskController {
  constructor(private readonly kiosk: KioskService) {}

  @Post('check')
  @Roles('kiosk', 'admin')
  @HttpCode(200)
  // Guards run before interceptors: a rate-limited kiosk is refused before its upload is read.
  @UseGuards(KioskRateLimitGuard)
  @UseInterceptors(FileInterceptor('image', { limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 0 } }))
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { image: { type: 'string', format: 'binary' } }, required: ['image'] } })
  @ApiOperation({ summary: 'One kiosk frame → checked_in / checked_out / already_recorded / not_recognised / no_face / retry (with a message for the screen); a name only on a confident employee match' })
  @ApiTooManyRequestsResponse({ description: 'This kiosk token is over VIGIL_KIOSK_CHECKS_PER_MINUTE (burst VIGIL_KIOSK_BURST); Retry-After says when to try again' })
  @ApiServiceUnavailableResponse({ description: 'The kiosk lane (VIGIL_KIOSK_QUEUE_SIZE images waiting) is full; Retry-After: 1' })
  check(@CurrentPrincipal() kiosk: Principal, @UploadedFile() image: { buffer: Buffer } | undefined) {
    return this.kiosk.check(kiosk, image);
  }
}
