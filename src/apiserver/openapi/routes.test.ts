import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { allResourceTypes } from '../../api/index.js';
import { decodeSwaggerProto } from './gnostic.js';
import { negotiate, openapiRoutes } from './routes.js';

describe('openapiRoutes', () => {
  let server: Server;
  let base: string;
  before(async () => {
    const [route] = openapiRoutes(allResourceTypes, { clock: () => new Date('2026-01-01T00:00:00Z') });
    server = createServer((req, res) => void route!.handle(req, res, new URL(req.url ?? '/', 'http://x')));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it('indexes every served group-version with a hashed URL', async () => {
    const res = await fetch(`${base}/openapi/v3`);
    assert.equal(res.headers.get('content-type'), 'application/json');
    const index = (await res.json()) as { paths: Record<string, { serverRelativeURL: string }> };
    assert.deepEqual(Object.keys(index.paths).sort(), ['api/v1', 'apis/apps/v1', 'apis/coordination.k8s.io/v1', 'apis/discovery.k8s.io/v1']);
    assert.match(index.paths['api/v1']!.serverRelativeURL, /^\/openapi\/v3\/api\/v1\?hash=[0-9A-F]{128}$/);
  });

  it('serves a document under its hash as immutable, redirects a stale hash, and answers If-None-Match', async () => {
    const index = (await (await fetch(`${base}/openapi/v3`)).json()) as { paths: Record<string, { serverRelativeURL: string }> };
    const url = index.paths['apis/apps/v1']!.serverRelativeURL;
    const res = await fetch(`${base}${url}&timeout=32s`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'public, immutable');
    const etag = res.headers.get('etag') ?? '';
    assert.equal(etag, `"${url.split('hash=')[1]}"`);
    assert.equal(((await res.json()) as { openapi: string }).openapi, '3.0.0');
    const stale = await fetch(`${base}/openapi/v3/apis/apps/v1?hash=ABC`, { redirect: 'manual' });
    assert.equal(stale.status, 301);
    assert.equal(stale.headers.get('location'), url);
    assert.equal((await fetch(`${base}/openapi/v3/apis/apps/v1`, { headers: { 'If-None-Match': etag } })).status, 304);
  });

  it('answers 404 Status for unknown group-versions', async () => {
    for (const p of ['/openapi/v3/apis/batch/v1', '/openapi/v4']) {
      const res = await fetch(`${base}${p}`);
      assert.equal(res.status, 404);
      assert.equal(((await res.json()) as { reason: string }).reason, 'NotFound');
    }
  });

  const PROTO_ACCEPT = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';

  it('serves /openapi/v2 as gnostic protobuf to kubectl`s Accept, the same document as the JSON one', async () => {
    const res = await fetch(`${base}/openapi/v2?timeout=32s`, { headers: { Accept: PROTO_ACCEPT } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf');
    assert.equal(res.headers.get('vary'), 'Accept');
    const fromProto = decodeSwaggerProto(new Uint8Array(await res.arrayBuffer()));
    const json = await fetch(`${base}/openapi/v2`);
    assert.equal(json.headers.get('content-type'), 'application/json');
    const doc = (await json.json()) as { swagger: string; definitions: Record<string, unknown> };
    assert.equal(doc.swagger, '2.0');
    assert.ok(doc.definitions['io.k8s.api.core.v1.Service']);
    assert.deepEqual(fromProto, doc);
  });

  it('sends an ETag per encoding, answers If-None-Match with 304 and unacceptable types with 406', async () => {
    const proto = await fetch(`${base}/openapi/v2`, { headers: { Accept: PROTO_ACCEPT } });
    const json = await fetch(`${base}/openapi/v2`, { headers: { Accept: 'application/json' } });
    const [pe, je] = [proto.headers.get('etag') ?? '', json.headers.get('etag') ?? ''];
    assert.match(pe, /^"[0-9A-F]{128}"$/);
    assert.match(je, /^"[0-9A-F]{128}"$/);
    assert.notEqual(pe, je);
    assert.equal((await fetch(`${base}/openapi/v2`, { headers: { Accept: PROTO_ACCEPT, 'If-None-Match': pe } })).status, 304);
    assert.equal((await fetch(`${base}/openapi/v2`, { headers: { Accept: 'application/json', 'If-None-Match': pe } })).status, 200);
    const again = await fetch(`${base}/openapi/v2`, { headers: { Accept: PROTO_ACCEPT } });
    assert.equal(again.headers.get('etag'), pe, 'the encoded document is cached');
    assert.equal((await fetch(`${base}/openapi/v2`, { headers: { Accept: 'text/html' } })).status, 406);
  });
});

describe('negotiate (the /openapi/v2 media type)', () => {
  it('picks by quality then order, with wildcards and no Accept meaning JSON', () => {
    assert.equal(negotiate(undefined)?.format, 'json');
    assert.equal(negotiate('*/*')?.format, 'json');
    assert.equal(negotiate('application/com.github.proto-openapi.spec.v2@v1.0+protobuf')?.format, 'protobuf');
    assert.equal(negotiate('application/com.github.proto-openapi.spec.v2.v1.0+protobuf')?.format, 'protobuf');
    assert.equal(negotiate('application/json;q=0.5, application/com.github.proto-openapi.spec.v2@v1.0+protobuf')?.format, 'protobuf');
    assert.equal(negotiate('application/com.github.proto-openapi.spec.v2@v1.0+protobuf;q=0.5, application/json')?.format, 'json');
    assert.equal(negotiate('application/*')?.format, 'json');
    assert.equal(negotiate('text/html, application/json;q=0'), undefined);
  });
});
