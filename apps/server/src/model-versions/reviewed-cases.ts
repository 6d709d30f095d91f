import { truthOf, type ReviewedCase } from '@vigil/domain';
import type { ReviewedCaseRow } from '@vigil/persistence';
import type { CropEmbedder } from './crop-embedder';

/** A reviewed face ready for the lifecycle, with the stratum it is split by. */
export interface LifecycleCase extends ReviewedCase {
  stratum: string;
}

export interface CaseLoad {
  cases: LifecycleCase[];
  /** Reviewed items left out, by reason (labels disagree, crop gone, no face in the crop, …). */
  skipped: Record<string, number>;
}

/**
 * Turns labelled review items into cases: the truth their labels agree on and the crop embedded
 * now. Only items whose labels agree and whose crop still shows a face take part. The stratum is
 * the label and the list it concerns, so both split parts hold every kind of decision.
 */
export async function loadCases(items: readonly ReviewedCaseRow[], lists: ReadonlyMap<string, string>, embedder: Pick<CropEmbedder, 'embed'>): Promise<CaseLoad> {
  const cases: LifecycleCase[] = [];
  const skipped: Record<string, number> = {};
  const skip = (reason: string) => (skipped[reason] = (skipped[reason] ?? 0) + 1);
  for (const item of items) {
    const t = truthOf(item.labels, item.candidatePersonId);
    if (!t.ok) {
      skip(t.reason);
      continue;
    }
    if (!item.cropMediaId) {
      skip('crop_missing');
      continue;
    }
    const embedded = await embedder.embed(item.cropPath);
    if (!embedded.ok) {
      skip(embedded.reason);
      continue;
    }
    const truthList = t.truth.kind === 'person' ? lists.get(t.truth.personId) : undefined;
    const candidateList = item.candidatePersonId ? lists.get(item.candidatePersonId) : undefined;
    cases.push({
      id: item.id,
      cropMediaId: item.cropMediaId,
      embedding: embedded.embedding,
      truth: t.truth,
      // Watchlist alerts need two agreeing reviewers (the review workflow marks them confirmed).
      confirmed: item.status === 'confirmed',
      qualityOk: embedded.qualityOk,
      stratum: `${item.labels[0]!.label}:${truthList ?? candidateList ?? 'none'}`,
    });
  }
  return { cases, skipped };
}
