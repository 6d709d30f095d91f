import type { PersonList } from '@vigil/domain';
import { listIncluded } from './scan-rules';
import type { FileCounts, ScanListChoice } from './scan-types';

export type { FileCounts };

/** What the recogniser said about a face, as far as the counts need it. */
export type TallyDecision = { kind: 'match'; trackId: string; list: PersonList } | { kind: 'unknown'; trackId: string };

/**
 * The per-file counts of a scan. A track decided unknown and later re-opened into a match (the
 * first frames of someone walking in are often poor) is a match, not a stranger; a track can
 * match once per person (the recogniser emits at most one decision per person and track).
 */
export class FileTally {
  private faces = 0;
  private readonly trackIds = new Set<string>();
  private readonly unknown = new Set<string>();
  private readonly matched = new Set<string>();
  private reported = 0;
  private other = 0;

  constructor(private readonly choice: ScanListChoice) {}

  face(trackId: string): void {
    this.faces++;
    this.trackIds.add(trackId);
  }

  /** Returns whether the decision is a match to report (a person on a chosen list). */
  decision(d: TallyDecision): boolean {
    if (d.kind === 'unknown') {
      this.unknown.add(d.trackId);
      return false;
    }
    this.matched.add(d.trackId);
    if (listIncluded(this.choice, d.list)) {
      this.reported++;
      return true;
    }
    this.other++;
    return false;
  }

  counts(): FileCounts {
    let strangers = 0;
    for (const id of this.unknown) if (!this.matched.has(id)) strangers++;
    let undecided = 0;
    for (const id of this.trackIds) if (!this.unknown.has(id) && !this.matched.has(id)) undecided++;
    return { facesSeen: this.faces, tracks: this.trackIds.size, matches: this.reported, otherListMatches: this.other, strangers, undecided };
  }
}
