import type { CameraOverlayView, OverlayFaceView } from '@vigil/contracts';

/** What a box says: the decided person, "unknown", or "…" while the track's vote is open. */
export function faceLabel(face: OverlayFaceView): string {
  if (face.state === 'match') return face.personName ?? 'match';
  return face.state === 'unknown' ? 'unknown' : '…';
}

const kindOf = (face: OverlayFaceView): string => (face.state === 'match' ? (face.list ?? 'match') : face.state);

/**
 * The faces of the camera's last analysis over its picture: the boxes in an SVG whose viewBox is
 * the frame's pixel size (stretched over the image, so they scale with it), the names as text
 * placed by percentages so they stay readable on a small tile. Hidden from screen readers: the
 * caption under the picture says the same in words.
 */
export function FaceBoxes({ overlay, stale }: { overlay: CameraOverlayView; stale: boolean }) {
  const { width: w, height: h, faces } = overlay;
  if (w <= 0 || h <= 0 || faces.length === 0) return null;
  const pct = (value: number, of: number) => `${(100 * value) / of}%`;
  return (
    <div className={`boxes${stale ? ' boxes--stale' : ''}`} aria-hidden="true">
      <svg viewBox={`0 0 ${w} ${h}`} preserveAspectRatio="none">
        {faces.map((face) => (
          <rect
            key={face.trackId}
            className={`box box--${kindOf(face)}`}
            x={face.box.x}
            y={face.box.y}
            width={face.box.width}
            height={face.box.height}
            vectorEffect="non-scaling-stroke"
          />
        ))}
      </svg>
      {faces.map((face) => {
        // Above the box, or inside its top edge when the box touches the top of the frame.
        const above = face.box.y / h > 0.08;
        return (
          <span
            key={face.trackId}
            className={`box__tag box__tag--${kindOf(face)}${above ? ' box__tag--above' : ''}`}
            style={{ left: pct(face.box.x, w), top: pct(face.box.y, h) }}
          >
            {faceLabel(face)}
          </span>
        );
      })}
    </div>
  );
}
