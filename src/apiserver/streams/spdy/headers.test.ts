import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FrameReader } from './frames.js';
import { decodeHeaderBlock, encodeHeaderBlock, HeaderCompressor, HeaderDecompressor } from './headers.js';
import { hex, OBSERVED_EXEC_SYNS, OBSERVED_PF_DATA_SYN, OBSERVED_PF_ERROR_SYN } from './_testing.js';

const blockOf = (frame: Buffer): Buffer => {
  const [f] = new FrameReader().push(frame);
  assert.ok(f && f.type === 'SYN_STREAM');
  return f.headerBlock;
};

describe('SPDY header blocks', () => {
  test("decode kubectl's port-forward streams through one zlib context", async () => {
    const d = new HeaderDecompressor();
    const first = await d.decompress(blockOf(OBSERVED_PF_ERROR_SYN));
    assert.deepEqual(Object.fromEntries(first), { streamtype: ['error'], port: ['8080'], requestid: ['0'] });
    const second = await d.decompress(blockOf(OBSERVED_PF_DATA_SYN));
    assert.deepEqual(Object.fromEntries(second), { streamtype: ['data'], port: ['8080'], requestid: ['0'] });
    d.close();
  });

  test("decode kubectl's exec streams (error, stdout, stderr) in order", async () => {
    const d = new HeaderDecompressor();
    const types: string[] = [];
    for (const f of OBSERVED_EXEC_SYNS) types.push(...((await d.decompress(blockOf(f))).get('streamtype') ?? []));
    assert.deepEqual(types, ['error', 'stdout', 'stderr']);
    d.close();
  });

  test('a block cannot be decoded out of order (the context is shared)', async () => {
    const d = new HeaderDecompressor();
    await assert.rejects(d.decompress(blockOf(OBSERVED_PF_DATA_SYN)));
    // …and the context stays failed.
    await assert.rejects(d.decompress(blockOf(OBSERVED_PF_ERROR_SYN)));
  });

  test('the first empty reply block is 15 bytes with the dictionary id, as observed (SYN_REPLY length 0x13)', async () => {
    const c = new HeaderCompressor();
    const block = await c.compress([]);
    assert.equal(block.length, 15);
    assert.deepEqual(block.subarray(2, 6), hex('e3 c6 a7 c2'));
    assert.deepEqual(block.subarray(-4), hex('00 00 ff ff'), 'ends with a sync flush');
    c.close();
  });

  test('our blocks decode with a fresh peer context, in sequence', async () => {
    const c = new HeaderCompressor({ level: 9 });
    const d = new HeaderDecompressor();
    const blocks = [await c.compress([['streamtype', 'error'], ['port', '8080'], ['requestid', '0']]), await c.compress([]), await c.compress([['x-multi', ['a', 'b']]])];
    assert.deepEqual(blocks[0]!.subarray(0, 6), hex('78 f9 e3 c6 a7 c2'), 'level 9 gives kubectl’s zlib header');
    assert.deepEqual(Object.fromEntries(await d.decompress(blocks[0]!)), { streamtype: ['error'], port: ['8080'], requestid: ['0'] });
    assert.equal((await d.decompress(blocks[1]!)).size, 0);
    assert.deepEqual((await d.decompress(blocks[2]!)).get('x-multi'), ['a', 'b']);
    c.close();
    d.close();
  });

  test('concurrent compress calls come out in call order', async () => {
    const c = new HeaderCompressor();
    const d = new HeaderDecompressor();
    const blocks = await Promise.all(Array.from({ length: 20 }, (_, i) => c.compress([['n', String(i)]])));
    for (let i = 0; i < 20; i++) assert.deepEqual((await d.decompress(blocks[i]!)).get('n'), [String(i)]);
    c.close();
    d.close();
  });

  test('the name/value block is count, then length-prefixed lower-case names and NUL-joined values', () => {
    const raw = encodeHeaderBlock([['StreamType', 'error'], ['v', ['1', '2']]]);
    assert.deepEqual(raw, hex('00000002 0000000a 73747265616d74797065 00000005 6572726f72 00000001 76 00000003 310032'));
    assert.deepEqual(Object.fromEntries(decodeHeaderBlock(raw)), { streamtype: ['error'], v: ['1', '2'] });
  });

  test('a malformed name/value block is refused', () => {
    assert.throws(() => decodeHeaderBlock(hex('00 00 00 05 00 00 00 01 61')), /cannot fit/);
    assert.throws(() => decodeHeaderBlock(hex('00 00 00 01 00 00 00 09 61 00 00 00 00')), /truncated/);
  });
});
