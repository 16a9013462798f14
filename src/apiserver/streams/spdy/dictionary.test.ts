import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SPDY3_DICTIONARY } from './dictionary.js';

function adler32(b: Buffer): number {
  let a = 1;
  let c = 0;
  for (const x of b) {
    a = (a + x) % 65521;
    c = (c + a) % 65521;
  }
  return ((c << 16) | a) >>> 0;
}

test('the SPDY/3 dictionary is the 1423 bytes whose Adler-32 kubectl names in its zlib header (e3 c6 a7 c2)', () => {
  assert.equal(SPDY3_DICTIONARY.length, 1423);
  assert.equal(adler32(SPDY3_DICTIONARY).toString(16), 'e3c6a7c2');
  assert.deepEqual([...SPDY3_DICTIONARY.subarray(0, 11)], [0, 0, 0, 7, ...Buffer.from('options')]);
  assert.equal(SPDY3_DICTIONARY.subarray(-7).toString(), ',enq=0.');
});
