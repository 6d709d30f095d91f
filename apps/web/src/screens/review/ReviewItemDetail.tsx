import { useImage } from '../../api/media';
import type { ReviewItemView } from '../../api/review-types';
import { dateTime, num } from '../../components/format';
import { Img } from '../../components/Img';
import { useSession } from '../../session-context';

const STATUS_TEXT: Record<ReviewItemView['status'], string> = { open: 'To review', labelled: 'Labelled', confirmed: 'Confirmed by two reviewers', expired: 'Expired' };

export function ReviewItemDetail({ item }: { item: ReviewItemView }) {
  const session = useSession();
  const crop = useImage(session.api, item.cropUrl);
  const who = item.candidate?.personName ?? null;
  const nearest = item.nearest ?? null;
  return (
    <div className="review-detail">
      <h2 id="item-title">{who ? `Is this ${who}?` : 'Who is this?'}</h2>
      <div className="compare">
        <figure>
          <Img image={crop} alt="Face the camera saw" className="face face--large" missing="No crop stored" />
          <figcaption>Seen by {item.cameraName ?? 'the kiosk'}</figcaption>
        </figure>
        <div className="compare__refs">
          {item.referenceUrls.length === 0 ? (
            <p className="muted">{who ? 'No reference photos stored.' : 'The system matched nobody.'}</p>
          ) : (
            item.referenceUrls.map((url, n) => <Reference key={url} url={url} name={who ?? nearest?.personName ?? 'candidate'} n={n + 1} />)
          )}
        </div>
      </div>
      <dl className="facts facts--inline">
        <dt>Candidate</dt>
        <dd>{who ? `${who} (${item.candidate!.list})` : nearest ? `none (nearest: ${nearest.personName}, ${nearest.list})` : 'none'}</dd>
        <dt>Score</dt>
        <dd>{num(item.score)}</dd>
        <dt>Distance</dt>
        <dd>{num(item.distance, 3)}</dd>
        <dt>When</dt>
        <dd>{dateTime(item.createdAt)}</dd>
        <dt>Status</dt>
        <dd>
          {STATUS_TEXT[item.status]} ({item.labels.length} of {item.requiredLabels} label{item.requiredLabels === 1 ? '' : 's'}
          {item.status === 'open' && item.labels.length > 0 ? ', waiting for another reviewer' : ''})
        </dd>
        {item.modelVersionId !== null && (
          <>
            <dt>Model version</dt>
            <dd>{item.modelVersionId}</dd>
          </>
        )}
      </dl>
      {item.labels.length > 0 && (
        <div>
          <h3>Labels so far</h3>
          <ul className="labels">
            {item.labels.map((l) => (
              <li key={l.id}>
                <strong>{l.label}</strong> by {l.reviewerName}
                {l.actualPersonName ? ` — actually ${l.actualPersonName}` : l.notEnrolled ? ' — not anyone enrolled' : ''}
                {l.notes ? ` — “${l.notes}”` : ''} <span className="muted">({dateTime(l.createdAt)})</span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

function Reference({ url, name, n }: { url: string; name: string; n: number }) {
  const session = useSession();
  const image = useImage(session.api, url);
  return (
    <figure>
      <Img image={image} alt={`Enrolled photo ${n} of ${name}`} className="face" />
      <figcaption>Enrolled {n}</figcaption>
    </figure>
  );
}
