// The /openapi endpoints: `GET /openapi/v3` (the index of group-versions with content-hashed
// URLs), `GET /openapi/v3/<gv>` (the document, immutable under its hash, 301 to the current hash
// when asked for another, 304 on a matching If-None-Match), and 404 for /openapi/v2, which
// kubectl tolerates once it has v3.
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { notFoundPath, type ResourceType, type Status } from '../../api/index.js';
import type { ExtraRoute } from '../http/server.js';
import { groupVersionDocument, groupVersionPath, groupVersions } from './document.js';

interface Served {
  body: string;
  /** sha512 of the body, upper-case hex: the ETag and the `hash` of its URL, as kube-openapi computes it. */
  hash: string;
}

export interface OpenApiRoutesOptions {
  /** Clock for the Expires header (default: the current time). */
  clock?: () => Date;
}

/** The routes serving OpenAPI v3 for `types` (all under the `/openapi/` prefix). */
export function openapiRoutes(types: readonly ResourceType[], o: OpenApiRoutesOptions = {}): ExtraRoute[] {
  const clock = o.clock ?? (() => new Date());
  let cache: { docs: Map<string, Served>; index: string } | undefined;
  const build = () => {
    if (cache) return cache;
    const docs = new Map<string, Served>();
    for (const gv of groupVersions(types)) {
      const body = JSON.stringify(groupVersionDocument(types, gv));
      docs.set(groupVersionPath(gv), { body, hash: createHash('sha512').update(body).digest('hex').toUpperCase() });
    }
    const paths = Object.fromEntries([...docs].map(([p, d]) => [p, { serverRelativeURL: `/openapi/v3/${p}?hash=${d.hash}` }]));
    cache = { docs, index: JSON.stringify({ paths }) };
    return cache;
  };

  const handle = (req: IncomingMessage, res: ServerResponse, url: URL): void => {
    const path = url.pathname.replace(/\/+$/, '');
    const method = req.method ?? 'GET';
    if ((method !== 'GET' && method !== 'HEAD') || !path.startsWith('/openapi/v3')) return sendStatus(res, notFoundPath().status);
    const { docs, index } = build();
    if (path === '/openapi/v3') return send(req, res, { body: index, cacheControl: 'no-cache, private' });
    const gv = decodeURIComponent(path.slice('/openapi/v3/'.length));
    const doc = docs.get(gv);
    if (!doc) return sendStatus(res, notFoundPath().status);
    const etag = `"${doc.hash}"`;
    const wanted = url.searchParams.get('hash');
    if (wanted && wanted !== doc.hash) {
      res.writeHead(301, { Location: `/openapi/v3/${gv}?hash=${doc.hash}`, 'Cache-Control': 'no-cache, private', 'Content-Length': '0' });
      res.end();
      return;
    }
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, { ETag: etag });
      res.end();
      return;
    }
    const expires = new Date(clock().getTime() + 365 * 24 * 3600 * 1000).toUTCString();
    send(req, res, {
      body: doc.body,
      etag,
      ...(wanted ? { cacheControl: 'public, immutable', expires } : { cacheControl: 'no-cache, private' }),
    });
  };
  return [{ path: '/openapi/', handle }];
}

function send(req: IncomingMessage, res: ServerResponse, o: { body: string; cacheControl: string; etag?: string; expires?: string }): void {
  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(o.body),
    'Cache-Control': o.cacheControl,
    ...(o.etag ? { ETag: o.etag } : {}),
    ...(o.expires ? { Expires: o.expires } : {}),
  });
  res.end(req.method === 'HEAD' ? undefined : o.body);
}

function sendStatus(res: ServerResponse, s: Status): void {
  const body = JSON.stringify(s);
  res.writeHead(s.code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-cache, private' });
  res.end(body);
}
