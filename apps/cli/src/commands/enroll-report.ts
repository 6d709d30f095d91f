/** What `vigil enroll` found and did, image by image; printed as text lines or as one JSON object. */

export type ImageOutcome =
  | {
      person: string | null;
      personId: string | null;
      file: string;
      status: 'accepted';
      referenceId: string;
      outlier: boolean;
      variants: string[];
    }
  | {
      person: string | null;
      personId: string | null;
      file: string;
      status: 'rejected';
      reasons: string[];
      message: string;
    };

export interface PersonOutcome {
  name: string;
  id: string | null;
  created: boolean;
  consentRecorded: boolean;
  accepted: number;
  rejected: number;
  /** Files (relative to --dir) whose reference is flagged as an outlier for this person after the import. */
  outliers: string[];
}

export interface EnrollReport {
  dir: string;
  list: string;
  augment: boolean;
  images: ImageOutcome[];
  people: PersonOutcome[];
  summary: {
    images: number;
    accepted: number;
    rejected: number;
    /** Rejections per reason code (an image can have several quality reasons). */
    reasons: Record<string, number>;
    peopleCreated: number;
    /** Images the face engine was asked to analyse, augmented variants included (never those refused before, e.g. for consent). */
    analysed: number;
  };
}

export function summarise(report: Omit<EnrollReport, 'summary'>, analysed: number): EnrollReport {
  const reasons: Record<string, number> = {};
  let accepted = 0;
  for (const image of report.images) {
    if (image.status === 'accepted') accepted++;
    else for (const r of image.reasons) reasons[r] = (reasons[r] ?? 0) + 1;
  }
  return {
    ...report,
    summary: {
      images: report.images.length,
      accepted,
      rejected: report.images.length - accepted,
      reasons,
      peopleCreated: report.people.filter((p) => p.created).length,
      analysed,
    },
  };
}

/** One line per image, as it is processed. */
export function formatImageLine(image: ImageOutcome): string {
  if (image.status === 'accepted') {
    const extra = [image.variants.length ? `+${image.variants.length} augmented` : '', image.outlier ? 'OUTLIER (weight reduced)' : ''].filter(Boolean).join(', ');
    return `  accepted  ${image.file}  reference ${image.referenceId}${extra ? `  (${extra})` : ''}\n`;
  }
  return `  rejected  ${image.file}  ${image.reasons.join(', ')}: ${image.message}\n`;
}

export function formatSummary(report: EnrollReport): string {
  const s = report.summary;
  const lines = [`\n${s.images} image(s): ${s.accepted} accepted, ${s.rejected} rejected.`];
  const reasons = Object.entries(s.reasons).sort((a, b) => b[1] - a[1]);
  if (reasons.length) lines.push(`Rejections: ${reasons.map(([r, n]) => `${r} ×${n}`).join(', ')}.`);
  for (const p of report.people) {
    const notes = [p.created ? 'new' : p.id ? 'existing' : 'not created', p.consentRecorded ? 'consent recorded' : ''].filter(Boolean).join(', ');
    lines.push(`  ${p.name} (${notes}): ${p.accepted} accepted, ${p.rejected} rejected${p.outliers.length ? `; outliers: ${p.outliers.join(', ')}` : ''}`);
  }
  lines.push(`${s.peopleCreated} person(s) created on ${listLabel(report.list)}; ${s.analysed} image(s) analysed by the face engine.`);
  return `${lines.join('\n')}\n`;
}

export function listLabel(list: string): string {
  return list === 'watchlist' ? 'the watchlist' : `the ${list} list`;
}
