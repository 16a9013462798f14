import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isValidPortName, nonSpecialIPErrors, parseIP } from './_strings.js';

test('parseIP reads IPv4, IPv6 and IPv4-mapped IPv6 like Go', () => {
  assert.deepEqual(parseIP('10.1.2.3'), { family: 4, bytes: [10, 1, 2, 3] });
  assert.equal(parseIP('fd00::1')?.family, 6);
  assert.equal(parseIP('::ffff:10.0.0.1')?.family, 4);
  for (const bad of ['', '1.2.3', '256.1.1.1', '1::2::3', 'abc', '10.0.0.1/24']) assert.equal(parseIP(bad), undefined, bad);
});

test('special IPs are named the way upstream names them', () => {
  assert.deepEqual(nonSpecialIPErrors('0.0.0.0'), ['may not be unspecified (0.0.0.0)']);
  assert.deepEqual(nonSpecialIPErrors('169.254.1.1'), ['may not be in the link-local range (169.254.0.0/16, fe80::/10)']);
  assert.deepEqual(nonSpecialIPErrors('224.0.0.5'), ['may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)']);
  assert.deepEqual(nonSpecialIPErrors('::1'), ['may not be in the loopback range (127.0.0.0/8, ::1/128)']);
  assert.deepEqual(nonSpecialIPErrors('10.0.0.1'), []);
});

test('port names are IANA service names', () => {
  assert.deepEqual(isValidPortName('http'), []);
  assert.deepEqual(isValidPortName('80'), ['must contain at least one letter (a-z)']);
  assert.deepEqual(isValidPortName('a--b'), ['must not contain consecutive hyphens']);
});
