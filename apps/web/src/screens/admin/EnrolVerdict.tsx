import type { EnrolledFaceView } from '@vigil/contracts';
import { errorText } from '../../api/http';
import { num } from '../../components/format';
import { REASON_TEXT, refusalReasons } from './person-forms';

/** The answer to an enrolment: accepted with its quality measures, or refused with the reasons. */
export type Verdict = { ok: true; quality: EnrolledFaceView['quality'] } | { ok: false; message: string; reasons: string[] };

export const accepted = (face: EnrolledFaceView): Verdict => ({ ok: true, quality: face.quality });

/** A refused enrolment: the server's message (422 quality, 409 consent, …) and the quality gate's reasons. */
export const refused = (error: unknown, message = errorText(error)): Verdict => ({ ok: false, message, reasons: refusalReasons(error) });

/** Announced to screen readers as it changes; empty until there is a verdict. */
export function EnrolVerdict({ verdict }: { verdict: Verdict | null }) {
  return (
    <div role="status" aria-live="polite" data-testid="enrol-verdict">
      {verdict?.ok && (
        <div className="verdict verdict--ok">
          <strong>Accepted.</strong> Quality: sharpness {num(verdict.quality.sharpness as number)}, brightness {num(verdict.quality.meanLuminance as number, 0)}/255, eyes{' '}
          {num(verdict.quality.interOcularPx as number, 0)} px apart, head turned {num(Math.abs(verdict.quality.yawDeg as number), 0)}°.
        </div>
      )}
      {verdict && !verdict.ok && (
        <div className="verdict verdict--bad">
          <strong>Refused.</strong> {verdict.message}
          {verdict.reasons.length > 0 && (
            <ul>
              {verdict.reasons.map((r) => (
                <li key={r}>{REASON_TEXT[r] ?? r}</li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
