import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { allResourceTypes } from '../../api/index.js';
import { openapiRoutes } from './routes.js';

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

  it('answers 404 Status for /openapi/v2 and unknown group-versions', async () => {
    for (const p of ['/openapi/v2', '/openapi/v3/apis/batch/v1']) {
      const res = await fetch(`${base}${p}`);
      assert.equal(res.status, 404);
      assert.equal(((await res.json()) as { reason: string }).reason, 'NotFound');
    }
  });
});
