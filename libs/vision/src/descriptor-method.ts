import { CALIBRATED_DEFAULTS, InvalidInputError } from '@vigil/domain';

/**
 * How a face becomes its descriptor. face-api's own path crops the face without rotating it and
 * embeds it once; the calibration (vigil calibrate on LFW) measured three changes, one at a time:
 * - levelEyes: crop turned so the eyes are level (alignedFaceCrop) instead of face-api's crop;
 * - flipAverage: the mean of that descriptor and the descriptor of the mirrored crop, so a face
 *   seen from its left and from its right side lands nearer the same point;
 * - normalise: the result scaled to unit length.
 * The product computes the variant the calibration kept (CALIBRATED_DEFAULTS.descriptor).
 */
export interface DescriptorMethod {
  id: string;
  levelEyes: boolean;
  flipAverage: boolean;
  normalise: boolean;
}

const CHANGES = { level: 'levelEyes', flip: 'flipAverage', norm: 'normalise' } as const;

/** 'faceapi' or a '+'-joined combination of level, flip and norm (the calibration's variant ids). */
export function descriptorMethod(id: string): DescriptorMethod {
  const method: DescriptorMethod = { id, levelEyes: false, flipAverage: false, normalise: false };
  if (id === 'faceapi') return method;
  for (const part of id.split('+')) {
    const key = CHANGES[part as keyof typeof CHANGES];
    if (!key || method[key]) throw new InvalidInputError(`unknown descriptor variant '${id}': use faceapi or a combination of level, flip and norm`);
    method[key] = true;
  }
  return method;
}

/** The method the product embeds with, from the calibrated defaults. */
export const PRODUCT_DESCRIPTOR_METHOD: DescriptorMethod = descriptorMethod(CALIBRATED_DEFAULTS.descriptor);

/**
 * Identifies the embedding space: references made by another model (or another descriptor
 * method: a flip-averaged descriptor is not comparable with a plain one) are not comparable, so
 * every stored embedding records this and the matcher loads only its own.
 */
export function embeddingModelId(method: DescriptorMethod): string {
  return `face-api@1.7.15/face-recognition-net-128${method.id === 'faceapi' ? '' : `+${method.id}`}`;
}

export const EMBEDDING_MODEL_ID = embeddingModelId(PRODUCT_DESCRIPTOR_METHOD);
