import { percent } from '../../components/format';

export interface ChartPoint {
  x: string;
  y: number | null;
}

const W = 320;
const H = 150;
const PAD = { left: 44, right: 10, top: 10, bottom: 24 };

/**
 * A small line chart of one rate over days, with the KPI target as a dashed line and points that
 * break it marked. Hand-drawn SVG: four series of a few dozen points do not need a chart
 * library, and the figure carries a text summary and a data table for screen readers.
 */
export function LineChart({ title, points, target, lowerIsBetter }: { title: string; points: ChartPoint[]; target?: number; lowerIsBetter?: boolean }) {
  const values = points.map((p) => p.y).filter((y): y is number => y !== null);
  const top = lowerIsBetter ? Math.max(0.001, ...values, target ?? 0) * 1.25 : 1;
  // Rates where higher is better start at a round tenth below the lowest value (or 50 %).
  const bottom = lowerIsBetter ? 0 : Math.max(0, Math.floor((Math.min(0.5, ...values, target ?? 1) - 0.05) * 10) / 10);
  const xOf = (i: number) => PAD.left + (points.length <= 1 ? (W - PAD.left - PAD.right) / 2 : (i * (W - PAD.left - PAD.right)) / (points.length - 1));
  const yOf = (v: number) => PAD.top + (1 - (v - bottom) / (top - bottom || 1)) * (H - PAD.top - PAD.bottom);
  const breaks = (v: number) => target !== undefined && (lowerIsBetter ? v > target : v < target);
  const path = points
    .map((p, i) => (p.y === null ? null : `${xOf(i).toFixed(1)},${yOf(p.y).toFixed(1)}`))
    .reduce<string[]>((segments, point, i, all) => {
      if (point === null) return segments;
      segments.push(`${i === 0 || all[i - 1] === null ? 'M' : 'L'}${point}`);
      return segments;
    }, [])
    .join(' ');
  const last = [...points].reverse().find((p) => p.y !== null);
  const summary = last
    ? `${title}: latest ${percent(last.y, 2)} on ${last.x}${target !== undefined ? `, target ${lowerIsBetter ? 'at most' : 'at least'} ${percent(target, 2)}` : ''}; ${values.filter(breaks).length} of ${values.length} days break the target.`
    : `${title}: no reviewed data in this period.`;

  return (
    <figure className="chart">
      <figcaption>
        {title}
        {last && <span className={`chart__latest${last.y !== null && breaks(last.y) ? ' chart__latest--bad' : ''}`}> {percent(last.y, 2)}</span>}
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={summary}>
        {[bottom, (bottom + top) / 2, top].map((v) => (
          <g key={v}>
            <line x1={PAD.left} x2={W - PAD.right} y1={yOf(v)} y2={yOf(v)} className="chart__grid" />
            <text x={PAD.left - 4} y={yOf(v) + 4} className="chart__axis" textAnchor="end">
              {percent(v, v < 0.01 && v > 0 ? 2 : 0)}
            </text>
          </g>
        ))}
        {target !== undefined && <line x1={PAD.left} x2={W - PAD.right} y1={yOf(target)} y2={yOf(target)} className="chart__target" />}
        <path d={path} className="chart__line" />
        {points.map((p, i) =>
          p.y === null ? null : <circle key={p.x} cx={xOf(i)} cy={yOf(p.y)} r={breaks(p.y) ? 4 : 2.5} className={breaks(p.y) ? 'chart__point chart__point--bad' : 'chart__point'} />,
        )}
        {values.length === 0 && (
          <text x={(W + PAD.left) / 2} y={H / 2} className="chart__axis" textAnchor="middle">
            No reviewed decisions in this period
          </text>
        )}
        {points.length > 0 && (
          <>
            <text x={PAD.left} y={H - 6} className="chart__axis">
              {points[0]!.x}
            </text>
            <text x={W - PAD.right} y={H - 6} className="chart__axis" textAnchor="end">
              {points[points.length - 1]!.x}
            </text>
          </>
        )}
      </svg>
    </figure>
  );
}
