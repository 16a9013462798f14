// The /openapi endpoints: `GET /openapi/v3` (the index of group-versions with content-hashed
// URLs), `GET /openapi/v3/<gv>` (the document, immutable under its hash, 301 to the current hash
// when asked for another, 304 on a matching If-None-Match), and `GET /openapi/v2` (the swagger 2.0
// document: protobuf when the Accept asks for it, as kubectl's client-side validation does, else
// JSON; 304 on a matching If-None-Match, 406 when neither is acceptable).
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { notFoundPath, type ResourceType, type Status } from '../../api/index.js';
import type { ExtraRoute } from '../http/server.js';
import { groupVersionDocument, groupVersionPath, groupVersions } from './document.js';
import { encodeSwaggerProto } from './gnostic.js';
import { swaggerDocument } from './swagger.js';

/** What kube-openapi answers for the protobuf document (it also accepts the `@` spelling). */
export const OPENAPI_V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';
const V2_MEDIA: readonly { type: string; subtypes: readonly string[]; contentType: string; format: 'json' | 'protobuf' }[] = [
  { type: 'application', subtypes: ['json'], contentType: 'application/json', format: 'json' },
  {
    type: 'application',
    subtypes: ['com.github.proto-openapi.spec.v2@v1.0+protobuf', 'com.github.proto-openapi.spec.v2.v1.0+protobuf'],
    contentType: OPENAPI_V2_PROTOBUF,
    format: 'protobuf',
  },
];

interface Served {
  body: string | Buffer;
  /** sha512 of the body, upper-case hex: the ETag and the `hash` of its URL, as kube-openapi computes it. */
  hash: string;
}

export interface OpenApiRoutesOptions {
  /** Clock for the Expires header (default: the current time). */
  clock?: () => Date;
}

/** The routes serving OpenAPI v3 and v2 for `types` (all under the `/openapi/` prefix). */
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

  // The v2 document in both encodings, built on first request (it only changes with the code).
  let v2: Record<'json' | 'protobuf', Served> | undefined;
  const buildV2 = () => {
    if (v2) return v2;
    const doc = swaggerDocument(types);
    const json = JSON.stringify(doc);
    const protobuf = Buffer.from(encodeSwaggerProto(doc));
    const hash = (b: string | Buffer) => createHash('sha512').update(b).digest('hex').toUpperCase();
    v2 = { json: { body: json, hash: hash(json) }, protobuf: { body: protobuf, hash: hash(protobuf) } };
    return v2;
  };

  const handleV2 = (req: IncomingMessage, res: ServerResponse): void => {
    const media = negotiate(req.headers.accept);
    if (!media) {
      res.writeHead(406, { Vary: 'Accept', 'Content-Length': '0' });
      res.end();
      return;
    }
    const doc = buildV2()[media.format];
    const etag = `"${doc.hash}"`;
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, { ETag: etag, Vary: 'Accept' });
      res.end();
      return;
    }
    send(req, res, { body: doc.body, etag, cacheControl: 'no-cache, private', contentType: media.contentType, vary: 'Accept' });
  };

  const handle = (req: IncomingMessage, res: ServerResponse, url: URL): void => {
    const path = url.pathname.replace(/\/+$/, '');
    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD') return sendStatus(res, notFoundPath().status);
    if (path === '/openapi/v2') return handleV2(req, res);
    if (!path.startsWith('/openapi/v3')) return sendStatus(res, notFoundPath().status);
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

function send(
  req: IncomingMessage,
  res: ServerResponse,
  o: { body: string | Buffer; cacheControl: string; etag?: string; expires?: string; contentType?: string; vary?: string },
): void {
  res.writeHead(200, {
    'Content-Type': o.contentType ?? 'application/json',
    'Content-Length': Buffer.byteLength(o.body),
    'Cache-Control': o.cacheControl,
    ...(o.etag ? { ETag: o.etag } : {}),
    ...(o.expires ? { Expires: o.expires } : {}),
    ...(o.vary ? { Vary: o.vary } : {}),
  });
  res.end(req.method === 'HEAD' ? undefined : o.body);
}

/**
 * The v2 media type to answer with, as kube-openapi picks it: the Accept clauses by descending
 * quality (stable), the first that matches JSON or the protobuf type (wildcards allowed); no
 * Accept means any.
 */
export function negotiate(accept: string | undefined): (typeof V2_MEDIA)[number] | undefined {
  const clauses = (accept && accept.trim() ? accept : '*/*')
    .split(',')
    .map((c, i) => {
      const [range = '', ...params] = c.split(';').map((x) => x.trim());
      const q = params.map((p) => /^q=([0-9.]+)$/i.exec(p)).find((m) => m)?.[1];
      const [type = '', subtype = ''] = range.toLowerCase().split('/');
      return { type, subtype, q: q === undefined ? 1 : Number(q), i };
    })
    .filter((c) => c.q > 0 && c.type !== '')
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const c of clauses) {
    for (const m of V2_MEDIA) {
      if (c.type !== '*' && c.type !== m.type) continue;
      if (c.subtype !== '*' && !m.subtypes.includes(c.subtype)) continue;
      return m;
    }
  }
  return undefined;
}

function sendStatus(res: ServerResponse, s: Status): void {
  const body = JSON.stringify(s);
  res.writeHead(s.code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-cache, private' });
  res.end(body);
}
