import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cropFileName, reportCsvRows, reportJson, toCsv } from './report-format';
import { escapeHtml, renderReportHtml } from './report-html';
import { cropRegion } from './face-crop';
import { ffprobeReason, looksLikeIsoMedia } from './media-probe';
import type { ScanReport } from './scan-types';

const CROP = Buffer.from([0xff, 0xd8, 0xff, 0xd9]);

function sampleReport(): ScanReport {
  return {
    status: 'completed_with_errors',
    list: 'watchlist',
    analysisFps: 2,
    detector: 'ssd',
    modelVersionId: 3,
    modelVersionLabel: 'v3',
    startedAt: '2026-12-02T21:00:00.000Z',
    finishedAt: '2026-12-02T21:00:10.000Z',
    elapsedSeconds: 10,
    files: [
      { file: '/stick/cam1.mp4', kind: 'video', status: 'ok', error: null, durationSeconds: 9, analysedSeconds: 9, framesAnalysed: 18, facesSeen: 18, tracks: 3, matches: 1, otherListMatches: 1, strangers: 1, undecided: 0 },
      { file: '/stick/<cut>.mp4', kind: null, status: 'failed', error: '/stick/<cut>.mp4 is truncated', durationSeconds: 0, analysedSeconds: 0, framesAnalysed: 0, facesSeen: 0, tracks: 0, matches: 0, otherListMatches: 0, strangers: 0, undecided: 0 },
    ],
    matches: [
      {
        index: 1, file: '/stick/cam1.mp4', personId: 'p1', name: '<img src=x onerror=alert(1)>, "Walt"', list: 'watchlist',
        firstSeenSeconds: 3, decidedSeconds: 4, lastSeenSeconds: 5.5, score: 0.9604, distance: 0.03, sightings: 3, box: { x: 1, y: 2, width: 3, height: 4 }, crop: CROP,
      },
    ],
    people: [{ personId: 'p1', name: '<img src=x onerror=alert(1)>, "Walt"', list: 'watchlist', photo: { data: CROP, contentType: 'image/jpeg' } }],
  };
}

describe('scan report formats', () => {
  it('CSV fields: quoted when needed, formulas defused', () => {
    const cases: Array<[field: string, csv: string]> = [
      ['plain', 'plain'],
      ['a,b', '"a,b"'],
      ['say "hi"', '"say ""hi"""'],
      ['two\nlines', '"two\nlines"'],
      ['=HYPERLINK("x")', `"'=HYPERLINK(""x"")"`],
      ['+1 cmd', "'+1 cmd"],
      ['@SUM(A1)', "'@SUM(A1)"],
      ['-2', '-2'], // a negative number stays a number
      ['-2+3+cmd', "'-2+3+cmd"],
      ['0.960', '0.960'],
    ];
    for (const [field, csv] of cases) assert.equal(toCsv([[field]]), `${csv}\r\n`, field);
  });

  it('CSV rows: header, one row per match, times readable and in seconds, crop file name', () => {
    const rows = reportCsvRows(sampleReport());
    assert.equal(rows.length, 2);
    assert.deepEqual(rows[0], ['match', 'person', 'person_id', 'list', 'file', 'time', 'first_seen_s', 'decided_s', 'last_seen_s', 'score', 'sightings', 'crop']);
    assert.deepEqual(rows[1], ['1', '<img src=x onerror=alert(1)>, "Walt"', 'p1', 'watchlist', '/stick/cam1.mp4', '00:00:03.0', '3.0', '4.0', '5.5', '0.960', '3', 'crops/match-0001.jpg']);
  });

  it('JSON: totals agree with files and matches; no image bytes, crops by file name', () => {
    const json = reportJson(sampleReport());
    assert.deepEqual(json.totals, { files: 2, failedFiles: 1, framesAnalysed: 18, facesSeen: 18, matches: 1, strangers: 1 });
    assert.equal(json.matches[0]!.crop, cropFileName({ index: 1 }));
    assert.equal(json.matches[0]!.firstSeen, '00:00:03.0');
    assert.deepEqual(json.people, [{ personId: 'p1', name: '<img src=x onerror=alert(1)>, "Walt"', list: 'watchlist' }]);
    assert.ok(!JSON.stringify(json).includes('"data"'), 'no photo bytes in report.json');
  });

  it('HTML: self-contained, every text escaped, failed files shown with their reason', () => {
    const html = renderReportHtml(sampleReport());
    assert.ok(!html.includes('<img src=x'), 'a name cannot inject markup');
    assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;, &quot;Walt&quot;'));
    assert.ok(html.includes('/stick/&lt;cut&gt;.mp4 is truncated'));
    assert.ok(html.includes('completed with errors: 1 file(s) failed'));
    assert.equal(html.match(/<img src="data:image\/jpeg;base64,/g)?.length, 2, 'crop and enrolled photo inlined');
    assert.ok(!/<script|<link|https?:\/\//i.test(html), 'no script, no external resource');
    assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
  });

  it('escapeHtml covers the five special characters', () => {
    assert.equal(escapeHtml(`<a href="x" title='y'>&</a>`), '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });

  it('crop region: box plus a quarter on each side, clamped to the frame', () => {
    const cases: Array<[box: { x: number; y: number; width: number; height: number }, frame: [number, number], region: { left: number; top: number; width: number; height: number }]> = [
      [{ x: 100, y: 100, width: 40, height: 40 }, [640, 480], { left: 90, top: 90, width: 60, height: 60 }],
      [{ x: 0, y: 0, width: 40, height: 40 }, [640, 480], { left: 0, top: 0, width: 50, height: 50 }],
      [{ x: 620, y: 460, width: 40, height: 40 }, [640, 480], { left: 610, top: 450, width: 30, height: 30 }],
    ];
    for (const [box, [w, h], region] of cases) assert.deepEqual(cropRegion(box, w, h), region, JSON.stringify(box));
  });

  it("ffprobe's error: the truncation line wins over the generic last line; prefixes go", () => {
    const cases: Array<[message: string, reason: string, truncated: boolean]> = [
      ['ffprobe exited with code 1\n/x/notes.mp4: Invalid data found when processing input\n', 'Invalid data found when processing input', false],
      ['ffprobe exited with code 1\n[mov,mp4,m4a,3gp,3g2,mj2 @ 0x55d1] moov atom not found\n/x/cut.mp4: Invalid data found when processing input\n', 'moov atom not found', true],
      ['ffprobe exited with code 1\n/x/gone.mp4: No such file or directory\n', 'No such file or directory', false],
    ];
    for (const [message, reason, truncated] of cases) assert.deepEqual(ffprobeReason(message), { reason, truncated }, message);
  });
});

describe('looksLikeIsoMedia', () => {
  it('tells an MP4/MOV cut before its index from a text file ffprobe also calls "moov atom not found"', () => {
    const cases: Array<[head: Buffer, iso: boolean]> = [
      [Buffer.from('\0\0\0\x20ftypisom', 'latin1'), true],
      [Buffer.from('\0\0\0\x08wide\0\0', 'latin1'), true],
      [Buffer.from('\0\0\x10\0mdat\0\0', 'latin1'), true],
      [Buffer.from('met at the gate', 'latin1'), false],
      [Buffer.from('RIFF\0\0\0\0AVI ', 'latin1'), false],
      [Buffer.from('\0\0', 'latin1'), false],
    ];
    for (const [head, iso] of cases) assert.equal(looksLikeIsoMedia(head), iso, JSON.stringify(head.toString('latin1')));
  });
});
