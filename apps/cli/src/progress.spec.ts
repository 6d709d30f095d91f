import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createProgress } from './progress';

/** A stream that says it is (or is not) a terminal and keeps what was written to it. */
function fakeStream(isTTY: boolean): NodeJS.WriteStream & { text(): string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  }) as unknown as NodeJS.WriteStream & { text(): string };
  Object.assign(stream, { isTTY, columns: 160, text: () => chunks.join('') });
  return stream;
}

const plain = (text: string) => text.replace(/\x1B(\[[\d;?]*[A-Za-z]|[78])/g, '');

describe('createProgress', () => {
  const silent: Array<[string, boolean, boolean]> = [
    ['stderr is a pipe', false, false],
    ['--quiet on a terminal', true, true],
  ];
  for (const [name, isTTY, quiet] of silent) {
    it(`draws nothing when ${name}; lines go straight to the command's output`, () => {
      const stream = fakeStream(isTTY);
      const lines: string[] = [];
      const progress = createProgress({ label: 'Embedding', unit: 'images', total: 3, quiet, stream, output: { isTTY: true } });
      progress.tick();
      progress.log('a.jpg accepted\n', (t) => lines.push(t));
      progress.stop();
      assert.equal(stream.text(), '');
      assert.deepEqual(lines, ['a.jpg accepted\n']);
    });
  }

  it('on a terminal shows done/total, unit and detail, and clears the bar when stopped', () => {
    const stream = fakeStream(true);
    const progress = createProgress({ label: 'Scanning', unit: 'frames', total: 10, stream, output: { isTTY: false } });
    progress.tick(3, 'clip-1.mp4');
    progress.stop();
    progress.stop(); // harmless twice (finally blocks)
    const text = plain(stream.text());
    assert.match(text, /Scanning .*3\/10 frames \| [\d.]+\/s \| ETA \S+ clip-1\.mp4/);
  });

  it('lines logged on the same terminal go above the bar and none is lost at stop', () => {
    const stream = fakeStream(true);
    const written: string[] = [];
    const progress = createProgress({ label: 'Enrolling', unit: 'images', total: 2, stream, output: { isTTY: true } });
    progress.log('first.jpg accepted', (t) => written.push(t));
    progress.tick();
    progress.log('second.jpg rejected\n', (t) => written.push(t));
    progress.tick();
    progress.stop();
    assert.deepEqual(written, [], 'not written twice');
    const text = plain(stream.text());
    assert.match(text, /first\.jpg accepted\n/);
    assert.match(text, /second\.jpg rejected\n/);
  });

  it('lines go to the command output when only stderr is a terminal (stdout redirected)', () => {
    const stream = fakeStream(true);
    const written: string[] = [];
    const progress = createProgress({ label: 'Enrolling', unit: 'images', total: 1, stream, output: { isTTY: false } });
    progress.log('x.jpg accepted\n', (t) => written.push(t));
    progress.stop();
    assert.deepEqual(written, ['x.jpg accepted\n']);
    assert.doesNotMatch(plain(stream.text()), /x\.jpg/);
  });
});
