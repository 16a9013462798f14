import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeLogRecord, formatRFC3339Nano, parseLogRecord } from './cri-log.js';

test('timestamps are RFC3339Nano in UTC without trailing zeros, as Go writes them', () => {
  assert.equal(formatRFC3339Nano(new Date('2025-01-02T03:04:05.120Z')), '2025-01-02T03:04:05.12Z');
  assert.equal(formatRFC3339Nano(new Date('2025-01-02T03:04:05.000Z')), '2025-01-02T03:04:05Z');
  assert.equal(formatRFC3339Nano(new Date('2025-01-02T03:04:05.001Z'), 7), '2025-01-02T03:04:05.001000007Z');
});

test('a record encodes as "<time> <stream> <tag> <content>" and parses back', () => {
  const rec = encodeLogRecord('2025-01-02T03:04:05.5Z', 'stderr', 'P', Buffer.from('half a line'));
  assert.equal(rec.toString(), '2025-01-02T03:04:05.5Z stderr P half a line\n');
  const parsed = parseLogRecord(rec.subarray(0, rec.length - 1));
  assert.ok(parsed);
  assert.equal(parsed.stream, 'stderr');
  assert.equal(parsed.tag, 'P');
  assert.equal(parsed.content.toString(), 'half a line');
  assert.equal(parsed.time, Date.parse('2025-01-02T03:04:05.5Z'));
});

test('an empty line is a valid record and garbage is not', () => {
  const empty = parseLogRecord(Buffer.from('2025-01-02T03:04:05Z stdout F '));
  assert.equal(empty?.content.length, 0);
  assert.equal(parseLogRecord(Buffer.from('not a log line')), undefined);
});
