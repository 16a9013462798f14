import { test } from 'node:test';
import assert from 'node:assert/strict';
import { humanDuration, translateTimestampSince } from './duration.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;
const Y = 365 * D;

test('humanDuration matches apimachinery at every boundary', () => {
  const cases: [ms: number, want: string][] = [
    [-2 * S, '<invalid>'],
    [-1999, '0s'],
    [-1 * S, '0s'],
    [0, '0s'],
    [999, '0s'],
    [5 * S, '5s'],
    [2 * M - 1, '119s'],
    [2 * M, '2m'],
    [3 * M + 12 * S, '3m12s'],
    [10 * M - 1, '9m59s'],
    [10 * M, '10m'],
    [3 * H - 1, '179m'],
    [3 * H, '3h'],
    [3 * H + 30 * M, '3h30m'],
    [8 * H - 1, '7h59m'],
    [8 * H, '8h'],
    [48 * H - 1, '47h'],
    [48 * H, '2d'],
    [49 * H, '2d1h'],
    [8 * D - 1, '7d23h'],
    [8 * D, '8d'],
    [12 * D, '12d'],
    [2 * Y - 1, '729d'],
    [2 * Y, '2y'],
    [2 * Y + D, '2y1d'],
    [8 * Y - 1, '7y364d'],
    [8 * Y, '8y'],
    [20 * Y, '20y'],
  ];
  for (const [ms, want] of cases) assert.equal(humanDuration(ms), want, `${ms}ms`);
});

test('translateTimestampSince reads RFC 3339 against an injected now and knows no time', () => {
  const now = new Date('2024-05-01T12:00:00Z');
  assert.equal(translateTimestampSince('2024-05-01T11:56:48Z', now), '3m12s');
  assert.equal(translateTimestampSince('2024-05-01T12:00:05Z', now), '<invalid>', 'a timestamp from the future beyond the skew allowance');
  for (const unset of [undefined, null, '', '0001-01-01T00:00:00Z', 'garbage']) assert.equal(translateTimestampSince(unset, now), '<unknown>', String(unset));
});
