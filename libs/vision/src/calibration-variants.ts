import { l2Normalize, meanDescriptor, NORMALISED_DESCRIPTOR_LENGTH } from '@vigil/domain';
import type { DescriptorPart, FaceSample } from './calibration-sample';

/**
 * The descriptor variants the calibration compares, each built from the parts a sample carries.
 * `faceapi` is the product today; every other row changes one thing (or combines the ones kept).
 */
export interface DescriptorVariant {
  id: string;
  label: string;
  /** Averaged (flip-averaging: a crop and its mirror). */
  parts: readonly DescriptorPart[];
  /** Scaled to unit length after averaging. */
  normalise: boolean;
}

export const DESCRIPTOR_VARIANTS: readonly DescriptorVariant[] = [
  { id: 'faceapi', label: "face-api's crop (the product before)", parts: ['faceapi'], normalise: false },
  { id: 'crop', label: 'the same crop made in JS (control)', parts: ['crop'], normalise: false },
  { id: 'level', label: 'eye-levelled crop', parts: ['level'], normalise: false },
  { id: 'flip', label: 'flip-averaged (face-api\'s descriptor and its mirrored crop\'s)', parts: ['faceapi', 'cropFlip'], normalise: false },
  { id: 'norm', label: 'normalised length', parts: ['faceapi'], normalise: true },
  { id: 'flip+norm', label: 'flip-averaged, length-normalised', parts: ['faceapi', 'cropFlip'], normalise: true },
  { id: 'level+norm', label: 'eye-levelled, length-normalised', parts: ['level'], normalise: true },
  { id: 'level+flip', label: 'eye-levelled, flip-averaged', parts: ['level', 'levelFlip'], normalise: false },
  { id: 'level+flip+norm', label: 'eye-levelled, flip-averaged, length-normalised', parts: ['level', 'levelFlip'], normalise: true },
];

/** Variants every photo of a run has the parts for, given the parts computed for all of them. */
export function variantsWithParts(parts: ReadonlySet<DescriptorPart>): DescriptorVariant[] {
  return DESCRIPTOR_VARIANTS.filter((v) => v.parts.every((p) => parts.has(p)));
}

export function variantById(id: string): DescriptorVariant {
  const v = DESCRIPTOR_VARIANTS.find((x) => x.id === id);
  if (!v) throw new Error(`unknown descriptor variant ${id}`);
  return v;
}

/** The variant's descriptor of a face, or null when the sample lacks a part it needs (not computed). */
export function variantDescriptor(face: FaceSample, variant: DescriptorVariant): Float32Array | null {
  const parts = variant.parts.map((p) => face.descriptors[p]);
  if (parts.some((d) => !d)) return null;
  const d = parts.length === 1 ? (parts[0] as Float32Array) : meanDescriptor(parts as Float32Array[]);
  return variant.normalise ? l2Normalize(d, NORMALISED_DESCRIPTOR_LENGTH) : d;
}
