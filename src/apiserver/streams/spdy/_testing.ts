// Test support: two connected in-memory byte streams (what one end writes, the other reads),
// and the bytes kubectl 1.32.4 was observed to send (captured on 127.0.0.1 in this project).
import { Duplex } from 'node:stream';

export function duplexPair(): [Duplex, Duplex] {
  const sides: Duplex[] = [];
  const make = (peer: () => Duplex) =>
    new Duplex({
      read() {},
      write(chunk: Buffer, _enc, cb) {
        const p = peer();
        if (!p.destroyed) p.push(chunk);
        cb();
      },
      final(cb) {
        const p = peer();
        if (!p.destroyed) p.push(null);
        cb();
      },
      destroy(err, cb) {
        // Like a TCP reset: the other end goes away too.
        const p = peer();
        if (!p.destroyed) p.destroy();
        cb(err);
      },
    });
  sides.push(make(() => sides[1]!), make(() => sides[0]!));
  return [sides[0]!, sides[1]!];
}

export const hex = (s: string): Buffer => Buffer.from(s.replace(/[\s|]/g, ''), 'hex');

/** kubectl port-forward, one local connection: SYN_STREAM 1 {streamtype: error, port: 8080, requestid: 0}. */
export const OBSERVED_PF_ERROR_SYN = hex(
  '80 03 00 01 00 00 00 3e | 00 00 00 01 | 00 00 00 00 | 00 00 |' +
    '78f9e3c6a7c202253a060606ce2248fc6482d22da30138e59514a526e6420b17d65450d0430aea22709eb030b03000000000ffff',
);
/** …then SYN_STREAM 3 {streamtype: data, port: 8080, requestid: 0}, same zlib stream. */
export const OBSERVED_PF_DATA_SYN = hex('80 03 00 01 00 00 00 1c | 00 00 00 03 | 00 00 00 00 | 00 00 | 826a46550a2a8712b1a844b302000000ffff');
/** kubectl exec (SPDY v5): the error, stdout and stderr streams. */
export const OBSERVED_EXEC_SYNS = [
  hex('80 03 00 01 00 00 00 29 | 00 00 00 01 | 00 00 00 00 | 00 00 | 78f9e3c6a7c26260606004a7b392a2d4c45c6851c29a0a0a6800000000ffff'),
  hex('80 03 00 01 00 00 00 19 | 00 00 00 03 | 00 00 00 00 | 00 00 | c22ac5565c92925f5a02000000ffff'),
  hex('80 03 00 01 00 00 00 15 | 00 00 00 05 | 00 00 00 00 | 00 00 | c229975a5404000000ffff'),
];
