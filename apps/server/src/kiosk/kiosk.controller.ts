import { Body, Controller, HttpCode, Post, UploadedFiles, UseGuards, UseInterceptors } from '@nestjs/common';
import { FilesInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConflictResponse, ApiConsumes, ApiOperation, ApiServiceUnavailableResponse, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import type { Principal } from '@vigil/auth';
import type { KioskChallengeView } from '@vigil/contracts';
import { CurrentPrincipal, Roles } from '../auth/roles.decorator';
import { MAX_UPLOAD_BYTES } from '../gallery/faces.controller';
import { KioskCheckDto } from './kiosk-check.dto';
import { KioskLivenessService, MAX_CHALLENGE_FRAMES } from './kiosk-liveness.service';
import { KioskRateLimitGuard } from './kiosk-rate-limit.guard';
import { KioskService } from './kiosk.service';

@ApiTags('kiosk')
@Controller('kiosk')
export class KioskController {
  constructor(
    private readonly kiosk: KioskService,
    private readonly liveness: KioskLivenessService,
  ) {}

  @Post('challenge')
  @Roles('kiosk', 'admin')
  @HttpCode(200)
  // Counts against the same per-token allowance as checks: issuing is cheap, but each is a stored row.
  @UseGuards(KioskRateLimitGuard)
  @ApiOperation({ summary: 'A liveness challenge for this kiosk: a random side to turn to, a prompt for the screen, a single-use nonce valid ~15 s; answer with POST /api/kiosk/check (nonce + frames)' })
  challenge(@CurrentPrincipal() kiosk: Principal): Promise<KioskChallengeView> {
    return this.liveness.issue(kiosk);
  }

  @Post('check')
  @Roles('kiosk', 'admin')
  @HttpCode(200)
  // Guards run before interceptors: a rate-limited kiosk is refused before its upload is read.
  @UseGuards(KioskRateLimitGuard)
  @UseInterceptors(FilesInterceptor('image', MAX_CHALLENGE_FRAMES, { limits: { fileSize: MAX_UPLOAD_BYTES, files: MAX_CHALLENGE_FRAMES, fields: 1 } }))
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      properties: {
        image: { type: 'array', items: { type: 'string', format: 'binary' }, description: `One frame; or, answering a challenge, its frames in capture order (repeat the field, at most ${MAX_CHALLENGE_FRAMES})` },
        nonce: { type: 'string', description: 'The challenge nonce (required for kiosk tokens with liveness "required")' },
      },
      required: ['image'],
    },
  })
  @ApiOperation({ summary: 'Kiosk frame(s) → checked_in / checked_out / already_recorded / not_recognised / not_live / no_face / retry (with a message for the screen); a name only on a confident employee match' })
  @ApiConflictResponse({ description: 'Liveness is required and no nonce was sent (code liveness_required), or the nonce was already used / expired' })
  @ApiTooManyRequestsResponse({ description: 'This kiosk token is over VIGIL_KIOSK_CHECKS_PER_MINUTE (burst VIGIL_KIOSK_BURST); Retry-After says when to try again' })
  @ApiServiceUnavailableResponse({ description: 'The kiosk lane (VIGIL_KIOSK_QUEUE_SIZE images waiting) is full; Retry-After: 1' })
  check(@CurrentPrincipal() kiosk: Principal, @UploadedFiles() images: Array<{ buffer: Buffer }> | undefined, @Body() body: KioskCheckDto) {
    return this.kiosk.check(kiosk, images ?? [], body.nonce);
  }
}
