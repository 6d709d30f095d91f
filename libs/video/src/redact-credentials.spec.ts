import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { redactCredentials } from './redact-credentials';

describe('redactCredentials', () => {
  const cases: Array<[string, string, string[]]> = [
    ['rtsp://admin:hunter2@10.0.0.5/s', 'rtsp://***@10.0.0.5/s', ['hunter2', 'admin']],
    ['rtsp://admin:p@ss:w0rd@cam/s', 'rtsp://***@cam/s', ['p@ss', 'w0rd']],
    ['rtsp://u:p%40ss%21@cam:554/x', 'rtsp://***@cam:554/x', ['p%40ss']],
    ['[tcp @ 0x55] Connection to rtsp://a:b#c!d@1.2.3.4:554 failed', '[tcp @ 0x55] Connection to rtsp://***@1.2.3.4:554 failed', ['b#c!d']],
    ['http://cam/video.cgi?user=admin&password=s3cret&x=1', 'http://cam/video.cgi?user=***&password=***&x=***', ['s3cret']],
    ['http://cam/?PWD=abc', 'http://cam/?PWD=***', ['abc']],
    ['http://cam/?user=u;password=ab#cd&x=1', 'http://cam/?user=***&x=***', ['ab#cd', '#cd']],
    ['no urls here', 'no urls here', []],
  ];
  for (const [input, expected, secrets] of cases) {
    it(input, () => {
      const out = redactCredentials(input);
      assert.equal(out, expected);
      for (const s of secrets) assert.ok(!out.includes(s), `leaked ${s}`);
    });
  }
});

/**
 * Security review #13, hole 4: every query value is hidden unless its parameter is on the short
 * list of names known to carry no secret (channel, subtype, stream, …).
 */
describe('redactCredentials hides every query value that is not known to be safe (#13)', () => {
  const hidden = [
    'access_token', 'apikey', 'api_key', 'API-KEY', 'passwd', 'token', 'auth', 'key', 'secret', 'sig', 'signature',
    'X-Amz-Signature', 'X-Amz-Credential', 'session', 'sid', 'code', 'hash', 'credential', 'pass', 'pin', 'nonce', 'jwt',
    'bearer', 'cookie', 'authkey', 'privatekey', 'client_secret', 'refresh_token', 'id_token', 'otp', 'u', 'p', 'x',
  ];
  for (const name of hidden) {
    it(`${name}=… is hidden`, () => {
      const out = redactCredentials(`http://cam/snap.jpg?${name}=S3cretVal`);
      assert.equal(out, `http://cam/snap.jpg?${name}=***`);
    });
  }
  const table: Array<[string, string]> = [
    ['rtsp://cam/live?channel=1&subtype=0', 'rtsp://cam/live?channel=1&subtype=0'],
    ['rtsp://cam/live?Channel=2&STREAM=main&profile=Profile_1&resolution=1920x1080&fps=15', 'rtsp://cam/live?Channel=2&STREAM=main&profile=Profile_1&resolution=1920x1080&fps=15'],
    ['rtsp://cam/live?channel=1&access_token=S3cretVal&subtype=0', 'rtsp://cam/live?channel=1&access_token=***&subtype=0'],
    ['percent-encoded key: http://cam/?%61ccess_token=S3cretVal', 'percent-encoded key: http://cam/?%61ccess_token=***'],
    ['http://cam/?%63hannel=3', 'http://cam/?%63hannel=3'],
    ['a safe key does not carry what follows a ";": http://cam/?channel=1;token=S3cretVal', 'a safe key does not carry what follows a ";": http://cam/?channel=1;token=***'],
    ['http://cam/?channel=1#token=S3cretVal', 'http://cam/?channel=1#token=***'],
    ['a safe key with an unusual value is hidden: http://cam/?channel=S3cret%26Val', 'a safe key with an unusual value is hidden: http://cam/?channel=***'],
    ['a bare value is hidden: http://cam/snap.jpg?S3cretVal', 'a bare value is hidden: http://cam/snap.jpg?***'],
    ['http://cam/snap.jpg?channel=1&S3cretVal', 'http://cam/snap.jpg?channel=1&***'],
    ['repeated: http://cam/?token=S3cretVal&token=S3cretVal', 'repeated: http://cam/?token=***&token=***'],
    ['an empty value stays empty: http://cam/?token=', 'an empty value stays empty: http://cam/?token='],
    // A hidden value runs to the next '&' or space (a password may hold any character).
    ["ffmpeg stderr: 'http://cam/a?apikey=S3cretVal': Server returned 401", "ffmpeg stderr: 'http://cam/a?apikey=*** Server returned 401"],
    ['html-escaped: http://cam/?channel=1&amp;token=S3cretVal', 'html-escaped: http://cam/?channel=1&***;token=***'],
    ['What? No URL here.', 'What? No URL here.'],
  ];
  for (const [input, expected] of table) {
    it(input, () => {
      const out = redactCredentials(input);
      assert.equal(out, expected);
      if (input.includes('S3cretVal')) assert.ok(!out.includes('S3cret'), `leaked in ${out}`);
    });
  }
});
