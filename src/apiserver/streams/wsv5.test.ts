import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ResizeDecoder } from './_transport.js';
import { decodeChannelMessage, encodeChannelMessage, selectChannelProtocol } from './wsv5.js';

const hex = (s: string) => Buffer.from(s.replace(/\s/g, ''), 'hex');

describe('channel protocol selection', () => {
  test('takes v5.channel.k8s.io, the only protocol kubectl 1.32 offers', () => {
    assert.equal(selectChannelProtocol(['v5.channel.k8s.io']), 'v5.channel.k8s.io');
  });
  test("follows the client's order of preference", () => {
    assert.equal(selectChannelProtocol(['v4.channel.k8s.io', 'v5.channel.k8s.io']), 'v4.channel.k8s.io');
    assert.equal(selectChannelProtocol(['x.example', 'base64.channel.k8s.io']), 'base64.channel.k8s.io');
  });
  test('defaults to channel.k8s.io when nothing is offered, and refuses unknown ones', () => {
    assert.equal(selectChannelProtocol([]), 'channel.k8s.io');
    assert.equal(selectChannelProtocol(['SPDY/3.1+portforward.k8s.io']), undefined);
  });
});

describe('v5 channel framing', () => {
  test('stdout "hi\\n" is the binary message 01 68 69 0a (on the wire: 82 04 01 68 69 0a)', () => {
    assert.deepEqual(encodeChannelMessage('v5.channel.k8s.io', 1, Buffer.from('hi\n')), { data: hex('01 68 69 0a'), binary: true });
  });

  test('the status goes on channel 3', () => {
    const m = encodeChannelMessage('v5.channel.k8s.io', 3, Buffer.from('{"metadata":{},"status":"Success"}'));
    assert.equal(m.data.length, 0x23);
    assert.equal((m.data as Buffer)[0], 3);
  });

  test("kubectl's stdin keystrokes arrive on channel 0", () => {
    assert.deepEqual(decodeChannelMessage('v5.channel.k8s.io', hex('00 65 78 69 74 0d'), true), { kind: 'data', channel: 0, data: Buffer.from('exit\r') });
  });

  test('`FF 00` closes stdin in v5 only; any other length after 255 is a protocol error', () => {
    assert.deepEqual(decodeChannelMessage('v5.channel.k8s.io', hex('ff 00'), true), { kind: 'close', channel: 0 });
    assert.equal(decodeChannelMessage('v5.channel.k8s.io', hex('ff 00 00'), true).kind, 'invalid');
    assert.deepEqual(decodeChannelMessage('v4.channel.k8s.io', hex('ff 00'), true), { kind: 'data', channel: 255, data: hex('00') });
  });

  test('text messages and empty messages are ignored on binary protocols', () => {
    assert.equal(decodeChannelMessage('v5.channel.k8s.io', Buffer.from('0abc'), false).kind, 'ignored');
    assert.equal(decodeChannelMessage('v5.channel.k8s.io', Buffer.alloc(0), true).kind, 'ignored');
  });

  test("resize is `04` + {\"Width\":80,\"Height\":24}\\n", () => {
    const m = decodeChannelMessage('v5.channel.k8s.io', Buffer.concat([hex('04'), Buffer.from('{"Width":80,"Height":24}\n')]), true);
    assert.ok(m.kind === 'data' && m.channel === 4);
    assert.deepEqual(new ResizeDecoder().push(m.data), [{ width: 80, height: 24 }]);
  });
});

describe('base64.channel.k8s.io framing', () => {
  test("is a text message of '0'+channel then base64", () => {
    assert.deepEqual(encodeChannelMessage('base64.channel.k8s.io', 1, Buffer.from('hi\n')), { data: '1aGkK', binary: false });
    assert.deepEqual(decodeChannelMessage('base64.channel.k8s.io', Buffer.from('0aGkK'), false), { kind: 'data', channel: 0, data: Buffer.from('hi\n') });
  });
  test('refuses a channel that is not a digit', () => {
    assert.equal(decodeChannelMessage('base64.channel.k8s.io', Buffer.from('xaGk='), false).kind, 'invalid');
  });
});

describe('ResizeDecoder', () => {
  test('reads JSON objects cut anywhere and several in one chunk', () => {
    const d = new ResizeDecoder();
    assert.deepEqual(d.push('{"Width":101,"He'), []);
    assert.deepEqual(d.push('ight":31}\n{"Width":100,"Height":30}\n'), [
      { width: 101, height: 31 },
      { width: 100, height: 30 },
    ]);
  });
  test('matches keys case-insensitively and skips what is not a size', () => {
    const d = new ResizeDecoder();
    assert.deepEqual(d.push('{"width":1,"height":2} {"Width":"x","Height":3} garbage {"Width":0,"Height":0}'), [
      { width: 1, height: 2 },
      { width: 0, height: 0 },
    ]);
  });
  test('keeps at most 4 KiB of an unfinished object', () => {
    const d = new ResizeDecoder();
    d.push('{' + ' '.repeat(5000));
    assert.deepEqual(d.push('"Width":1,"Height":1}'), []);
  });
});
