import { formatVideoTime } from './scan-rules';
import type { ScanReport } from './scan-types';

/** Text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Only these image types are inlined (a stored photo's content type comes from the database). */
const INLINE_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp']);

function dataUri(data: Buffer, contentType: string): string | null {
  return INLINE_TYPES.has(contentType) ? `data:${contentType};base64,${data.toString('base64')}` : null;
}

function img(src: string | null, alt: string): string {
  return src ? `<img src="${src}" alt="${escapeHtml(alt)}">` : `<span class="none">${escapeHtml(alt)}: none</span>`;
}

const STYLE = `body{font:14px system-ui,sans-serif;margin:24px;color:#222}table{border-collapse:collapse;margin:12px 0}
th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}th{background:#f3f3f3}
img{max-height:160px;max-width:160px;display:block}.failed{color:#a00}.none{color:#888}.ok{color:#070}`;

/**
 * report.html: one self-contained page (crops and enrolled photos inlined as data: URIs, no
 * script, no external resource), every text from files or the database HTML-escaped. The
 * Content-Security-Policy forbids loading anything else should a name slip through.
 */
export function renderReportHtml(report: ScanReport): string {
  const people = new Map(report.people.map((p) => [p.personId, p]));
  const failed = report.files.filter((f) => f.status === 'failed').length;
  const rows = report.matches
    .map((m) => {
      const person = people.get(m.personId);
      const photo = person?.photo ? dataUri(person.photo.data, person.photo.contentType) : null;
      return `<tr><td>${m.index}</td><td>${escapeHtml(m.name)}<br><small>${escapeHtml(m.list)}</small></td><td>${escapeHtml(m.file)}</td>
<td>${formatVideoTime(m.firstSeenSeconds)}<br><small>decided ${formatVideoTime(m.decidedSeconds)}, last seen ${formatVideoTime(m.lastSeenSeconds)}</small></td>
<td>${img(dataUri(m.crop, 'image/jpeg'), 'crop')}</td><td>${img(photo, 'enrolled photo')}</td><td>${m.score.toFixed(3)}<br><small>${m.sightings} sightings</small></td></tr>`;
    })
    .join('\n');
  const files = report.files
    .map(
      (f) => `<tr><td>${escapeHtml(f.file)}</td><td class="${f.status === 'ok' ? 'ok' : 'failed'}">${f.status}${f.error ? `<br><small>${escapeHtml(f.error)}</small>` : ''}</td>
<td>${formatVideoTime(f.durationSeconds)}</td><td>${formatVideoTime(f.analysedSeconds)}</td><td>${f.framesAnalysed}</td><td>${f.facesSeen}</td><td>${f.tracks}</td><td>${f.matches}</td><td>${f.strangers}</td><td>${f.undecided}</td></tr>`,
    )
    .join('\n');
  const status = report.status === 'completed' ? 'completed' : `completed with errors: ${failed} file(s) failed`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<title>Vigil scan report</title><style>${STYLE}</style></head><body>
<h1>Vigil scan report</h1>
<p>Status: <strong class="${report.status === 'completed' ? 'ok' : 'failed'}">${escapeHtml(status)}</strong>.
Lists: ${escapeHtml(report.list)}. Analysis: ${report.analysisFps} frames/s, ${escapeHtml(report.detector)} detector,
model version ${escapeHtml(report.modelVersionLabel ?? 'built-in defaults')}. Started ${escapeHtml(report.startedAt)}, took ${report.elapsedSeconds.toFixed(1)} s.</p>
<h2>Matches (${report.matches.length})</h2>
${report.matches.length ? `<table><tr><th>#</th><th>Person</th><th>File</th><th>Time in video</th><th>Seen</th><th>Enrolled</th><th>Score</th></tr>\n${rows}</table>` : '<p>Nobody on the chosen lists was found.</p>'}
<h2>Files (${report.files.length})</h2>
<table><tr><th>File</th><th>Status</th><th>Duration</th><th>Analysed</th><th>Frames</th><th>Faces</th><th>Tracks</th><th>Matches</th><th>Strangers</th><th>Undecided</th></tr>
${files}</table>
<p><small>Strangers (faces that matched nobody) are counted, never stored: no image or embedding of them is in this report.</small></p>
</body></html>
`;
}
