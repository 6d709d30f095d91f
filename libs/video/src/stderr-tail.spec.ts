import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { StderrTail } from './stderr-tail';

describe('StderrTail', () => {
  it('splits chunks into lines across boundaries and redacts before storing', () => {
    const t = new StderrTail();
    t.push('[rtsp @ 0x1] method DESCRIBE failed: 401 Unauth');
    t.push('orized\nrtsp://admin:hun');
    t.push('ter2@127.0.0.1:554/x: Server returned 401\r\n');
    assert.deepEqual(t.all(), ['[rtsp @ 0x1] method DESCRIBE failed: 401 Unauthorized', 'rtsp://***@127.0.0.1:554/x: Server returned 401']);
    assert.ok(!t.all().join('').includes('hunter2'));
  });
  it('keeps only the last N lines', () => {
    const t = new StderrTail(3);
    for (let i = 0; i < 10; i++) t.push(`line ${i}\n`);
    assert.deepEqual(t.all(), ['line 7', 'line 8', 'line 9']);
    assert.equal(t.last(), 'line 9');
  });
  it('flush keeps an unterminated last line; blank lines are skipped', () => {
    const t = new StderrTail();
    t.push('\n\nConnection refused');
    t.flush();
    assert.deepEqual(t.all(), ['Connection refused']);
  });
  it('cuts runaway lines', () => {
    const t = new StderrTail(20, 50);
    t.push('x'.repeat(500));
    assert.equal(t.last()!.length, 50);
  });
});
