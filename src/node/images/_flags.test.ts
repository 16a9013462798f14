import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FlagError, parseFlags, parseGoDuration } from './_flags.js';

const spec = {
  'http-port': { kind: 'int', default: 8080 },
  udp: { kind: 'bool', default: false },
  timeout: { kind: 'duration', default: 0 },
  name: { kind: 'string', default: '' },
} as const;

test('flags take --name=value, --name value and single-dash forms', () => {
  const r = parseFlags(['--http-port=9000', '-name', 'x', '--timeout', '3s', 'host:80'], spec);
  assert.deepEqual(r.values, { 'http-port': 9000, udp: false, timeout: 3000, name: 'x' });
  assert.deepEqual(r.positional, ['host:80']);
});

test('boolean flags need no value but accept one', () => {
  assert.equal(parseFlags(['--udp'], spec).values['udp'], true);
  assert.equal(parseFlags(['--udp=false'], spec).values['udp'], false);
});

test('unknown flags and bad numbers are errors', () => {
  assert.throws(() => parseFlags(['--nope'], spec), FlagError);
  assert.throws(() => parseFlags(['--http-port=eighty'], spec), /invalid argument "eighty"/);
});

test('Go durations are parsed to milliseconds', () => {
  assert.equal(parseGoDuration('1m30s'), 90_000);
  assert.equal(parseGoDuration('250ms'), 250);
  assert.equal(parseGoDuration('1.5s'), 1500);
  assert.equal(parseGoDuration('0'), 0);
  assert.throws(() => parseGoDuration('3'), FlagError);
});
