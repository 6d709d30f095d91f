import { l2Normalize, meanDescriptor, NORMALISED_DESCRIPTOR_LENGTH, openSetAt, rawDistance, thresholdForFpir, type MatedProbe, type StrangerProbe } from '@vigil/domain';
import { seededRandom, variantTable, type VariantTable } from './calibration-analysis';
import type { ImageSample } from './calibration-sample';
import { DESCRIPTOR_VARIANTS, type DescriptorVariant } from './calibration-variants';

/**
 * The watchlist's figures (1:N): a gallery of N people enrolled from one clean photo each, faces
 * going by that are either one of them (another photo) or a stranger (a person not enrolled).
 * Probes are the clean photos or their degraded copies (a camera's view of them).
 */
export const OPEN_SET_FPIRS = ['1e-2', '1e-3'] as const;
export type ProbeCondition = 'clean' | 'degraded';

export interface OpenSetRow {
  variant: string;
  probes: ProbeCondition;
  galleryPeople: number;
  strangers: number;
  mated: number;
  draws: number;
  /** Mean over the draws of the threshold that keeps FPIR at the target, and the TPIR there. */
  atFpir: Record<(typeof OPEN_SET_FPIRS)[number], { threshold: number; tpir: number } | null>;
  /** At the given threshold (the product's watchlist threshold), mean over draws. */
  atThreshold: { threshold: number; fpir: number; tpir: number | null };
}

export type AggregationMode = 'nearest' | 'mean' | 'quality';
export const AGGREGATION_MODES: readonly AggregationMode[] = ['nearest', 'mean', 'quality'];

export interface AggregationRow {
  variant: string;
  probes: ProbeCondition;
  mode: AggregationMode;
  referencesPerPerson: number;
  galleryPeople: number;
  strangers: number;
  mated: number;
  atFpir: { threshold: number; tpir: number } | null;
}

interface Gallery {
  /** Per enrolled person, the descriptors a probe is compared with (one per reference, or one centroid). */
  people: Array<{ identity: string; descriptors: Float32Array[] }>;
}

function nearest(gallery: Gallery, probe: Float32Array): { distance: number; identity: string } {
  let best = { distance: Infinity, identity: '' };
  for (const person of gallery.people) {
    for (const d of person.descriptors) {
      const dist = rawDistance(probe, d);
      if (dist < best.distance) best = { distance: dist, identity: person.identity };
    }
  }
  return best;
}

function probeSets(table: VariantTable, gallery: Gallery, enrolled: Set<number>, probes: ProbeCondition) {
  const members = new Set(gallery.people.map((p) => p.identity));
  const strangers: StrangerProbe[] = [];
  const mated: MatedProbe[] = [];
  table.images.forEach((_, i) => {
    const probe = table[probes][i];
    if (!probe || enrolled.has(i)) return;
    const hit = nearest(gallery, probe);
    if (members.has(table.identity[i])) mated.push({ nearest: hit.distance, nearestIsSelf: hit.identity === table.identity[i] });
    else strangers.push({ nearest: hit.distance });
  });
  return { strangers, mated };
}

function groupByIdentity(table: VariantTable): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  table.identity.forEach((id, i) => {
    if (table.clean[i]) groups.set(id, [...(groups.get(id) ?? []), i]);
  });
  return groups;
}

function shuffle<T>(xs: T[], rnd: () => number): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

export interface OpenSetOptions {
  galleryPeople?: number;
  draws?: number;
  seed?: number;
  /** Threshold to report FPIR/TPIR at (the product's watchlist threshold). */
  threshold: number;
  variants?: readonly DescriptorVariant[];
}

/** Open-set rows per variant and probe condition; N is capped so that strangers remain. */
export function openSetRows(samples: ReadonlyMap<string, ImageSample>, options: OpenSetOptions): OpenSetRow[] {
  const rows: OpenSetRow[] = [];
  const draws = options.draws ?? 3;
  for (const variant of options.variants ?? DESCRIPTOR_VARIANTS) {
    const table = variantTable(samples, variant);
    const groups = groupByIdentity(table);
    const eligible = [...groups.keys()].filter((id) => (groups.get(id) as number[]).length >= 2).sort();
    const n = Math.min(options.galleryPeople ?? 1000, Math.floor(eligible.length * 0.6));
    if (n < 1) continue; // not computed on enough photos (a partial run)
    for (const probes of ['clean', 'degraded'] as const) {
      const acc = { strangers: 0, mated: 0, at: { fpir: 0, tpir: 0 }, fp: OPEN_SET_FPIRS.map(() => ({ threshold: 0, tpir: 0, n: 0 })) };
      for (let draw = 0; draw < draws; draw++) {
        const chosen = shuffle(eligible, seededRandom((options.seed ?? 1) * 1000 + draw)).slice(0, n);
        const enrolled = new Set<number>();
        const gallery: Gallery = {
          people: chosen.map((identity) => {
            const first = (groups.get(identity) as number[])[0];
            enrolled.add(first);
            return { identity, descriptors: [table.clean[first] as Float32Array] };
          }),
        };
        const { strangers, mated } = probeSets(table, gallery, enrolled, probes);
        acc.strangers += strangers.length;
        acc.mated += mated.length;
        if (strangers.length === 0) continue;
        const at = openSetAt(strangers, mated, options.threshold);
        acc.at.fpir += at.fpir;
        acc.at.tpir += at.tpir ?? 0;
        OPEN_SET_FPIRS.forEach((f, k) => {
          const t = thresholdForFpir(strangers, Number(f));
          if (t === null) return;
          acc.fp[k].threshold += t;
          acc.fp[k].tpir += openSetAt(strangers, mated, t).tpir ?? 0;
          acc.fp[k].n++;
        });
      }
      rows.push({
        variant: variant.id,
        probes,
        galleryPeople: n,
        strangers: Math.round(acc.strangers / draws),
        mated: Math.round(acc.mated / draws),
        draws,
        atFpir: Object.fromEntries(OPEN_SET_FPIRS.map((f, k) => [f, acc.fp[k].n ? { threshold: acc.fp[k].threshold / acc.fp[k].n, tpir: acc.fp[k].tpir / acc.fp[k].n } : null])) as OpenSetRow['atFpir'],
        atThreshold: { threshold: options.threshold, fpir: acc.at.fpir / draws, tpir: acc.mated ? acc.at.tpir / draws : null },
      });
    }
  }
  return rows;
}

/** Quality weight of a reference: detector confidence times frontalness (cos of yaw). */
function qualityWeight(sample: ImageSample): number {
  const f = sample.clean;
  if (!f) return 0;
  return Math.max(0.01, f.score * Math.cos((Math.min(90, Math.abs(f.quality.yawDeg)) * Math.PI) / 180));
}

/**
 * Several references per person: people with more than `references` clean photos are enrolled
 * with the first `references`; their other photos are the mated probes, everyone else's photos
 * the strangers. Compared: the nearest reference (what the matcher does), the distance to the
 * references' mean, and to their quality-weighted mean.
 */
export function aggregationRows(samples: ReadonlyMap<string, ImageSample>, options: { references?: number; variants?: readonly DescriptorVariant[] } = {}): AggregationRow[] {
  const k = options.references ?? 3;
  const rows: AggregationRow[] = [];
  for (const variant of options.variants ?? DESCRIPTOR_VARIANTS.slice(0, 1)) {
    const table = variantTable(samples, variant);
    const groups = groupByIdentity(table);
    const chosen = [...groups.keys()].filter((id) => (groups.get(id) as number[]).length > k).sort();
    if (chosen.length < 2) continue; // nobody has enough photos to enrol several
    for (const mode of AGGREGATION_MODES) {
      const enrolled = new Set<number>();
      const gallery: Gallery = {
        people: chosen.map((identity) => {
          const refs = (groups.get(identity) as number[]).slice(0, k);
          refs.forEach((i) => enrolled.add(i));
          const ds = refs.map((i) => table.clean[i] as Float32Array);
          if (mode === 'nearest') return { identity, descriptors: ds };
          const weights = mode === 'quality' ? refs.map((i) => qualityWeight(samples.get(table.images[i]) as ImageSample)) : undefined;
          const centroid = meanDescriptor(ds, weights);
          return { identity, descriptors: [variant.normalise ? l2Normalize(centroid, NORMALISED_DESCRIPTOR_LENGTH) : centroid] };
        }),
      };
      for (const probes of ['clean', 'degraded'] as const) {
        const { strangers, mated } = probeSets(table, gallery, enrolled, probes);
        const t = strangers.length ? thresholdForFpir(strangers, 1e-2) : null;
        rows.push({
          variant: variant.id,
          probes,
          mode,
          referencesPerPerson: k,
          galleryPeople: gallery.people.length,
          strangers: strangers.length,
          mated: mated.length,
          atFpir: t === null ? null : { threshold: t, tpir: openSetAt(strangers, mated, t).tpir ?? 0 },
        });
      }
    }
  }
  return rows;
}
