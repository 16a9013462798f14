import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { decodeProtobufObject, isProtobufDecodeError, ProtobufDecodeError, supportedKinds } from './index.js';

// ---------------------------------------------------------------------------------------------
// Fixtures: <case>.bin is a request body the real kubectl 1.32 POSTed, <case>.json is what the same
// kubectl printed for the same command with `--dry-run=client -o json` (testdata/capture.mjs).
// tsc does not copy testdata/ to dist/, so look for it next to this file (running from source) or
// under src/ of an ancestor directory (running from dist/src/...).

function findTestdata(): string {
  const rel = join('src', 'apiserver', 'protobuf', 'testdata');
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    for (const candidate of [join(dir, 'testdata'), join(dir, rel)]) {
      if (existsSync(join(candidate, 'capture.mjs'))) return candidate;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find ${rel} above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

const TESTDATA = findTestdata();
const FIXTURES = readdirSync(TESTDATA)
  .filter((f) => f.endsWith('.bin'))
  .map((f) => f.slice(0, -'.bin'.length))
  .sort();

function fixtureBody(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(TESTDATA, `${name}.bin`)));
}

function fixtureJson(name: string): unknown {
  return JSON.parse(readFileSync(join(TESTDATA, `${name}.json`), 'utf8'));
}

// ---------------------------------------------------------------------------------------------
// A tiny independent protobuf writer, so hand-made bodies do not depend on the code under test.

const MAGIC = [0x6b, 0x38, 0x73, 0x00];

function varint(v: number | bigint): number[] {
  let n = BigInt.asUintN(64, BigInt(v));
  const out: number[] = [];
  do {
    const low = Number(n & 0x7fn);
    n >>= 7n;
    out.push(n > 0n ? low | 0x80 : low);
  } while (n > 0n);
  return out;
}

const tag = (field: number, wire: number): number[] => varint((field << 3) | wire);
const num = (field: number, v: number | bigint): number[] => [...tag(field, 0), ...varint(v)];
const bytes = (field: number, b: ArrayLike<number>): number[] => [...tag(field, 2), ...varint(b.length), ...Array.from(b)];
const str = (field: number, s: string): number[] => bytes(field, Buffer.from(s, 'utf8'));
const msg = (field: number, ...parts: number[][]): number[] => bytes(field, parts.flat());

function body(apiVersion: string, kind: string, raw: number[]): Uint8Array {
  return Uint8Array.from([...MAGIC, ...msg(1, str(1, apiVersion), str(2, kind)), ...bytes(2, raw), ...str(3, ''), ...str(4, '')]);
}

/** The bytes of the first length-delimited field `field` of a message. */
function subMessage(message: Uint8Array, field: number): Uint8Array {
  let i = 0;
  const read = (): number => {
    let v = 0;
    let shift = 0;
    for (;;) {
      const b = message[i++];
      if (b === undefined) throw new Error('truncated fixture');
      v += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return v;
      shift += 7;
    }
  };
  while (i < message.length) {
    const t = read();
    const wire = t % 8;
    if (wire === 0) read();
    else if (wire === 2) {
      const len = read();
      if (Math.floor(t / 8) === field) return message.subarray(i, i + len);
      i += len;
    } else throw new Error(`unexpected wire type ${wire} in fixture`);
  }
  throw new Error(`field ${field} not found`);
}

function decodeError(run: () => unknown): ProtobufDecodeError {
  try {
    run();
  } catch (e) {
    if (e instanceof ProtobufDecodeError) return e;
    throw e;
  }
  assert.fail('expected a ProtobufDecodeError');
}

// ---------------------------------------------------------------------------------------------

describe('decodeProtobufObject on bodies captured from kubectl 1.32', () => {
  it('has fixtures for every generator the brief names', () => {
    for (const name of [
      'deployment-http-go', 'deployment-web', 'service-clusterip', 'service-nodeport', 'service-loadbalancer',
      'service-externalname', 'namespace', 'configmap', 'secret-generic', 'serviceaccount', 'job',
    ]) {
      assert.ok(FIXTURES.includes(name), `missing fixture ${name}`);
    }
  });

  for (const name of FIXTURES) {
    // No normalisation: the dry-run JSON and the POST body are two encodings of the very same Go
    // object (nothing is server-populated; creationTimestamp is the zero time, null, in both).
    it(`${name}: equals kubectl's own JSON for the object, key order included`, () => {
      const got = decodeProtobufObject(fixtureBody(name));
      const want = fixtureJson(name);
      assert.deepStrictEqual(got, want);
      assert.equal(JSON.stringify(got), JSON.stringify(want));
    });
  }

  it('decodes a Pod: the pod template kubectl encoded inside a Job, re-wrapped as a Pod', () => {
    // PodTemplateSpec {1 metadata, 2 spec} and Pod {1 metadata, 2 spec, 3 status} share their
    // numbers, so a real template's bytes are a real Pod message.
    const job = fixtureBody('job-from-cronjob');
    const raw = subMessage(job.subarray(4), 2);
    const template = subMessage(subMessage(raw, 2), 6);
    const got = decodeProtobufObject(body('v1', 'Pod', Array.from(template)));
    const jobJson = fixtureJson('job-from-cronjob') as { spec: { template: { metadata: unknown; spec: unknown } } };
    const want = { kind: 'Pod', apiVersion: 'v1', ...jobJson.spec.template, status: {} };
    assert.deepStrictEqual(got, want);
  });
});

describe('Go encoding/json semantics', () => {
  const meta = (...parts: number[][]): number[] => msg(1, str(1, 'x'), ...parts);

  it('keeps a pointer field that is present with its zero value (Secret.immutable=false)', () => {
    const got = decodeProtobufObject(body('v1', 'Secret', [...meta(), ...num(5, 0)]));
    assert.deepStrictEqual(got, { kind: 'Secret', apiVersion: 'v1', metadata: { name: 'x', creationTimestamp: null }, immutable: false });
  });

  it('drops zero omitempty scalars that gogo wrote explicitly', () => {
    const got = decodeProtobufObject(body('v1', 'Secret', [...meta(str(2, ''), str(3, ''), num(7, 0)), ...str(3, '')]));
    assert.deepStrictEqual(got, { kind: 'Secret', apiVersion: 'v1', metadata: { name: 'x', creationTimestamp: null } });
  });

  it('prints metav1.Time as RFC 3339 in UTC without fractions, and the zero time as null', () => {
    const got = decodeProtobufObject(
      body('v1', 'Namespace', meta(msg(8, num(1, 1700000000), num(2, 123456789)), msg(9))),
    );
    assert.deepStrictEqual(got.metadata, {
      name: 'x',
      creationTimestamp: '2023-11-14T22:13:20Z',
      // *Time present but empty: a non-nil pointer to the zero time, which Go prints as null.
      deletionTimestamp: null,
    });
    const epoch = decodeProtobufObject(body('v1', 'Namespace', meta(msg(8, num(1, 0)))));
    assert.equal(epoch.metadata.creationTimestamp, '1970-01-01T00:00:00Z');
  });

  it('prints an absent non-pointer struct as its zero value (Deployment without spec)', () => {
    const got = decodeProtobufObject(body('apps/v1', 'Deployment', meta()));
    assert.deepStrictEqual(got, {
      kind: 'Deployment',
      apiVersion: 'apps/v1',
      metadata: { name: 'x', creationTimestamp: null },
      spec: {
        selector: null, // *LabelSelector `json:"selector"`: nil prints as null
        template: { metadata: { creationTimestamp: null }, spec: { containers: null } },
        strategy: {},
      },
      status: {},
    });
  });

  it('sorts map keys bytewise and gives a map entry without value the Go zero value', () => {
    const entry = (k: string, ...v: number[][]): number[] => msg(2, str(1, k), ...v);
    const got = decodeProtobufObject(
      body('v1', 'ConfigMap', [...meta(), ...entry('b', str(2, '2')), ...entry('a', str(2, '1')), ...entry('Z'), ...entry('é', str(2, 'e'))]),
    );
    assert.equal(JSON.stringify((got as unknown as { data: unknown }).data), '{"Z":"","a":"1","b":"2","é":"e"}');
  });

  it('skips fields it does not know, like a Go server skips fields newer than itself', () => {
    const plain = decodeProtobufObject(body('v1', 'Namespace', meta()));
    const group = [...tag(44, 3), ...num(1, 5), ...tag(44, 4)];
    const fixed = [...tag(45, 1), 1, 2, 3, 4, 5, 6, 7, 8, ...tag(46, 5), 1, 2, 3, 4];
    const extra = decodeProtobufObject(
      body('v1', 'Namespace', [...meta(str(99, 'future')), ...num(42, 7), ...msg(43, str(1, 'x')), ...group, ...fixed]),
    );
    assert.deepStrictEqual(extra, plain);
  });

  it('accepts repeated numbers both unpacked (gogo) and packed', () => {
    const pod = (groups: number[]): Uint8Array => body('v1', 'Pod', [...meta(), ...msg(2, msg(14, groups))]);
    const unpacked = decodeProtobufObject(pod([...num(4, 1), ...num(4, 300)]));
    const packed = decodeProtobufObject(pod(bytes(4, [...varint(1), ...varint(300)])));
    assert.deepStrictEqual(packed, unpacked);
    assert.deepStrictEqual((unpacked as unknown as { spec: { securityContext: unknown } }).spec.securityContext, {
      supplementalGroups: [1, 300],
    });
  });

  it('decodes negative int32 values sent as ten-byte varints', () => {
    const got = decodeProtobufObject(body('apps/v1', 'Deployment', [...meta(), ...msg(2, num(1, -1))]));
    assert.equal((got as unknown as { spec: { replicas: number } }).spec.replicas, -1);
  });

  it('prints IntOrString as a number or a string by its type', () => {
    const port = (...p: number[][]): Uint8Array => body('v1', 'Service', [...meta(), ...msg(2, msg(1, num(3, 80), msg(4, ...p)))]);
    const targetPort = (b: Uint8Array): unknown =>
      (decodeProtobufObject(b) as unknown as { spec: { ports: { targetPort: unknown }[] } }).spec.ports[0]?.targetPort;
    assert.equal(targetPort(port(num(1, 0), num(2, 8080), str(3, ''))), 8080);
    assert.equal(targetPort(port(num(1, 1), num(2, 0), str(3, 'http'))), 'http');
    assert.equal(targetPort(port()), 0);
  });

  it('refuses a resource.Quantity Go could not parse, with Go’s message', () => {
    const container = msg(2, str(1, 'c'), msg(8, msg(1, str(1, 'cpu'), msg(2, str(1, 'lots')))));
    const e = decodeError(() => decodeProtobufObject(body('v1', 'Pod', [...meta(), ...msg(2, container)])));
    assert.equal(e.failure, 'InvalidValue');
    assert.match(e.message, /^quantities must match the regular expression/);
    assert.deepStrictEqual(e.object, { apiVersion: 'v1', kind: 'Pod' });
  });

  it('fills an empty kind and apiVersion from the defaults, like copyKindDefaults', () => {
    const got = decodeProtobufObject(body('', '', meta()), { defaults: { apiVersion: 'v1', kind: 'ServiceAccount' } });
    assert.deepStrictEqual(got, { kind: 'ServiceAccount', apiVersion: 'v1', metadata: { name: 'x', creationTimestamp: null } });
  });

  it('lists the kinds it decodes', () => {
    assert.deepStrictEqual(
      supportedKinds().map((k) => `${k.apiVersion}/${k.kind}`).sort(),
      ['apps/v1/Deployment', 'batch/v1/CronJob', 'batch/v1/Job', 'v1/ConfigMap', 'v1/Namespace', 'v1/Pod', 'v1/Secret', 'v1/Service', 'v1/ServiceAccount'],
    );
  });
});

describe('decodeProtobufObject errors', () => {
  const valid = fixtureBody('deployment-web');

  it('rejects an empty body', () => {
    const e = decodeError(() => decodeProtobufObject(new Uint8Array(0)));
    assert.equal(e.failure, 'NotProtobuf');
    assert.equal(e.message, 'empty data');
  });

  it('rejects a body without the k8s\\0 prefix, e.g. JSON', () => {
    const e = decodeError(() => decodeProtobufObject(Buffer.from('{"kind":"Namespace"}')));
    assert.equal(e.failure, 'NotProtobuf');
    assert.equal(e.message, 'provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]');
  });

  it('rejects the prefix alone', () => {
    assert.equal(decodeError(() => decodeProtobufObject(Uint8Array.from(MAGIC))).message, 'empty body');
  });

  it('answers "unexpected EOF" for a body cut inside the object', () => {
    const e = decodeError(() => decodeProtobufObject(valid.subarray(0, valid.length - 10)));
    assert.equal(e.failure, 'Truncated');
    assert.equal(e.message, 'unexpected EOF');
  });

  it('names the kind of the object when the failure is inside it', () => {
    const raw = Array.from(subMessage(valid.subarray(4), 2));
    const e = decodeError(() => decodeProtobufObject(body('apps/v1', 'Deployment', raw.slice(0, raw.length - 3))));
    assert.equal(e.message, 'unexpected EOF');
    assert.deepStrictEqual(e.object, { apiVersion: 'apps/v1', kind: 'Deployment' });
  });

  it('rejects every truncation of a real body with ProtobufDecodeError or decodes what is there', () => {
    for (let n = 0; n < valid.length; n++) {
      try {
        decodeProtobufObject(valid.subarray(0, n));
      } catch (e) {
        assert.ok(isProtobufDecodeError(e), `prefix of ${n} bytes threw ${String(e)}`);
      }
    }
  });

  it('rejects an overlong varint', () => {
    const e = decodeError(() => decodeProtobufObject(Uint8Array.from([...MAGIC, 0x0a, ...Array(11).fill(0xff)])));
    assert.equal(e.failure, 'Malformed');
    assert.equal(e.message, 'proto: integer overflow');
  });

  it('rejects a known field sent with the wrong wire type', () => {
    const e = decodeError(() => decodeProtobufObject(Uint8Array.from([...MAGIC, ...num(2, 5)])));
    assert.equal(e.failure, 'Malformed');
    assert.equal(e.message, 'proto: wrong wireType = 0 for field Raw');
    const inner = decodeError(() => decodeProtobufObject(body('apps/v1', 'Deployment', msg(2, str(1, 'three')))));
    assert.equal(inner.message, 'proto: wrong wireType = 2 for field Replicas');
  });

  it('rejects wire types no encoder produces', () => {
    // Go names the field when it knows it (field 1 is typeMeta), else only the wire type.
    assert.equal(decodeError(() => decodeProtobufObject(Uint8Array.from([...MAGIC, 0x0f]))).message, 'proto: wrong wireType = 7 for field TypeMeta');
    assert.equal(decodeError(() => decodeProtobufObject(Uint8Array.from([...MAGIC, 0x7f]))).message, 'proto: illegal wireType 7');
    assert.equal(
      decodeError(() => decodeProtobufObject(Uint8Array.from([...MAGIC, ...tag(15, 3), ...tag(9, 4)]))).message,
      'proto: unexpected end of group',
    );
    assert.equal(
      decodeError(() => decodeProtobufObject(Uint8Array.from([...MAGIC, 0x0c]))).message,
      'proto: Unknown: wiretype end group for non-group',
    );
    assert.equal(
      decodeError(() => decodeProtobufObject(Uint8Array.from([...MAGIC, 0x02, 0x00]))).message,
      'proto: Unknown: illegal tag 0 (wire type 2)',
    );
  });

  it('rejects a kind it cannot decode, like an unregistered kind upstream', () => {
    const e = decodeError(() => decodeProtobufObject(body('v1', 'Widget', [])));
    assert.equal(e.failure, 'UnknownKind');
    assert.match(e.message, /^no kind "Widget" is registered for version "v1" in scheme /);
    assert.deepStrictEqual(e.object, { apiVersion: 'v1', kind: 'Widget' });
    assert.equal(decodeError(() => decodeProtobufObject(body('apps/v2', 'Deployment', []))).failure, 'UnknownKind');
  });

  it('rejects an envelope without kind or apiVersion', () => {
    const noKind = decodeError(() => decodeProtobufObject(body('v1', '', [])));
    assert.equal(noKind.failure, 'MissingKind');
    assert.equal(noKind.message, `Object 'Kind' is missing in 'runtime.TypeMeta{APIVersion:"v1", Kind:""}'`);
    const noVersion = decodeError(() => decodeProtobufObject(body('', 'Pod', [])));
    assert.equal(noVersion.message, `Object 'apiVersion' is missing in 'runtime.TypeMeta{APIVersion:"", Kind:"Pod"}'`);
  });

  it('throws only ProtobufDecodeError for arbitrary bytes after the prefix', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 256 }), (tail) => {
        try {
          decodeProtobufObject(Uint8Array.from([...MAGIC, ...tail]));
        } catch (e) {
          return isProtobufDecodeError(e);
        }
        return true;
      }),
      { seed: 42, numRuns: 2000 },
    );
  });

  it('throws only ProtobufDecodeError for real bodies with corrupted bytes', () => {
    const rich = fixtureBody('job-from-cronjob');
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(rich.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }), (edits) => {
        const b = Uint8Array.from(rich);
        for (const [at, value] of edits) b[at] = value;
        try {
          decodeProtobufObject(b);
        } catch (e) {
          return isProtobufDecodeError(e);
        }
        return true;
      }),
      { seed: 7, numRuns: 1000 },
    );
  });
});
