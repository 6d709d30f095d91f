import { Injectable } from '@nestjs/common';
import sharp from 'sharp';
import type { Box } from '@vigil/domain';
import { Database } from '@vigil/persistence';
import { MediaStore } from '@vigil/gallery';

/** A JPEG written under VIGIL_DATA_DIR/media, not yet recorded in the database. */
export interface WrittenImage {
  path: string;
  bytes: number;
}

/** Margin around the face box in a crop, as a share of the box size (forehead, chin, ears). */
const CROP_MARGIN = 0.25;
const FRAME_WIDTH = 640;

/**
 * The evidence of a decision: the face crop and a frame thumbnail, written as files. The caller
 * records them (media rows) in the same transaction as the decision they prove, so a crash leaves
 * at worst an unreferenced file, never a row pointing at nothing.
 */
@Injectable()
export class EvidenceImages {

  constructor(private readonly db: Database, private readonly files: MediaStore) {
  }

  async write(cameraId: string, rgb: Buffer, width: number, height: number, box: Box): Promise<{ crop: WrittenImage; frame: WrittenImage }> {
    const raw = { raw: { width, height, channels: 3 as const } };
    const crop = await sharp(rgb, raw).extract(cropRegion(box, width, height)).jpeg({ quality: 90 }).toBuffer();
    const frame = await sharp(rgb, raw).resize({ width: FRAME_WIDTH, withoutEnlargement: true }).jpeg({ quality: 80 }).toBuffer();
    return {
      crop: { path: await this.files.writeCameraImage(cameraId, crop), bytes: crop.length },
      frame: { path: await this.files.writeCameraImage(cameraId, frame), bytes: frame.length },
    };
  }

  /** Removes written images that no row will point at (the alert was not raised: cooldown, lost lease). */
  async discard(images: { crop: WrittenImage; frame: WrittenImage }): Promise<void> {
    await Promise.all([this.files.remove(images.crop.path), this.files.remove(images.frame.path)]);
  }

  /**
   * Only the face crop, recorded at once (review samples: no frame, so less of a stranger's
   * surroundings). An expiring crop is removed by retention even if the item that needed it never
   * committed; a crop of a known person belongs to them, so erasure finds it.
   */
  async storeCrop(cameraId: string, rgb: Buffer, width: number, height: number, box: Box, owner: { expiresAt?: Date; personId?: string }): Promise<string> {
    const crop = await sharp(rgb, { raw: { width, height, channels: 3 } }).extract(cropRegion(box, width, height)).jpeg({ quality: 90 }).toBuffer();
    const relative = await this.files.writeCameraImage(cameraId, crop);
    return this.db.repos.media.insert({
      kind: 'crop', path: relative, contentType: 'image/jpeg', bytes: crop.length, cameraId, personId: owner.personId ?? null, expiresAt: owner.expiresAt ?? null,
    });
  }
}

function cropRegion(box: Box, width: number, height: number): { left: number; top: number; width: number; height: number } {
  const left = Math.max(0, Math.floor(box.x - box.width * CROP_MARGIN));
  const top = Math.max(0, Math.floor(box.y - box.height * CROP_MARGIN));
  const right = Math.min(width, Math.ceil(box.x + box.width * (1 + CROP_MARGIN)));
  const bottom = Math.min(height, Math.ceil(box.y + box.height * (1 + CROP_MARGIN)));
  return { left, top, width: Math.max(1, right - left), height: Math.max(1, bottom - top) };
}
