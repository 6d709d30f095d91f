import { Inject, Injectable } from '@nestjs/common';
import sharp from 'sharp';
import type { VigilConfig } from '@vigil/config';
import { Database } from '@vigil/persistence';
import type { Box } from '@vigil/domain';
import { VIGIL_CONFIG } from '../core/core.module';
import { MediaStore } from '../gallery/media-store';

/** Face crop and frame thumbnail of an alert (or a crop alone for review samples), as JPEG files with media rows. */
@Injectable()
export class AlertMedia {
  private readonly files: MediaStore;

  constructor(private readonly db: Database, @Inject(VIGIL_CONFIG) config: VigilConfig) {
    this.files = new MediaStore(config.dataDir);
  }

  async store(cameraId: string, rgb: Buffer, width: number, height: number, box: Box): Promise<{ cropMediaId: string; frameMediaId: string }> {
    const crop = await this.encodeCrop(rgb, width, height, box);
    const frame = await sharp(rgb, { raw: { width, height, channels: 3 } }).resize({ width: 640, withoutEnlargement: true }).jpeg({ quality: 80 }).toBuffer();
    const cropPath = await this.files.writeCameraImage(cameraId, crop);
    const framePath = await this.files.writeCameraImage(cameraId, frame);
    const cropMediaId = await this.db.repos.media.insert({ kind: 'crop', path: cropPath, contentType: 'image/jpeg', bytes: crop.length, cameraId });
    const frameMediaId = await this.db.repos.media.insert({ kind: 'frame', path: framePath, contentType: 'image/jpeg', bytes: frame.length, cameraId });
    return { cropMediaId, frameMediaId };
  }

  /** Only the face crop (review samples), deleted by retention after `expiresAt` when given. */
  async storeCrop(cameraId: string, rgb: Buffer, width: number, height: number, box: Box, expiresAt: Date | null = null): Promise<string> {
    const crop = await this.encodeCrop(rgb, width, height, box);
    const cropPath = await this.files.writeCameraImage(cameraId, crop);
    return this.db.repos.media.insert({ kind: 'crop', path: cropPath, contentType: 'image/jpeg', bytes: crop.length, cameraId, expiresAt });
  }

  private encodeCrop(rgb: Buffer, width: number, height: number, box: Box): Promise<Buffer> {
    const margin = 0.25;
    const left = Math.max(0, Math.floor(box.x - box.width * margin));
    const top = Math.max(0, Math.floor(box.y - box.height * margin));
    const right = Math.min(width, Math.ceil(box.x + box.width * (1 + margin)));
    const bottom = Math.min(height, Math.ceil(box.y + box.height * (1 + margin)));
    return sharp(rgb, { raw: { width, height, channels: 3 } })
      .extract({ left, top, width: Math.max(1, right - left), height: Math.max(1, bottom - top) })
      .jpeg({ quality: 90 })
      .toBuffer();
  }
}
