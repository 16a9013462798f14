// The HTTP side of the upgrades: recognising WebSocket and SPDY requests, negotiating the
// sub-protocol version, and answering an error before the connection is switched.
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { isStatusError } from '../../api/index.js';

export const HEADER_PROTOCOL_VERSION = 'X-Stream-Protocol-Version';
export const HEADER_ACCEPTED_PROTOCOL_VERSIONS = 'X-Accepted-Stream-Protocol-Versions';

/** An error answered as plain text with `code` (kubectl: `unable to upgrade connection: <text>`). */
export class UpgradeError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly headers: Record<string, string | string[]> = {},
  ) {
    super(message);
    this.name = 'UpgradeError';
  }
}

function headerList(req: IncomingMessage, name: string): string[] {
  const v = req.headers[name.toLowerCase()];
  const raw = v === undefined ? [] : Array.isArray(v) ? v : [v];
  return raw.flatMap((s) => s.split(',')).map((s) => s.trim()).filter((s) => s !== '');
}

/** As wsstream.IsWebSocketRequest: `Connection: upgrade` and `Upgrade: websocket`. */
export function isWebSocketRequest(req: IncomingMessage): boolean {
  const conn = headerList(req, 'connection').map((s) => s.toLowerCase());
  return conn.includes('upgrade') && (req.headers.upgrade ?? '').toLowerCase() === 'websocket';
}

/** The WebSocket sub-protocols the client offers, in its order of preference. */
export function offeredWebSocketProtocols(req: IncomingMessage): string[] {
  return headerList(req, 'sec-websocket-protocol');
}

/** Why `ws` would refuse this handshake, checked up front so nothing starts before a doomed upgrade. */
export function webSocketHandshakeProblem(req: IncomingMessage): string | undefined {
  if (req.method !== 'GET') return `invalid HTTP method ${req.method ?? ''} for a WebSocket upgrade`;
  const key = req.headers['sec-websocket-key'];
  if (typeof key !== 'string' || !/^[+/0-9A-Za-z]{22}==$/.test(key.trim())) return 'missing or invalid Sec-WebSocket-Key header';
  const version = req.headers['sec-websocket-version'];
  if (version !== '13' && version !== '8') return 'missing or invalid Sec-WebSocket-Version header';
  return undefined;
}

/** As the SPDY response upgrader: `Connection` must contain `upgrade`, `Upgrade` must contain `spdy/3.1`. */
export function spdyUpgradeProblem(req: IncomingMessage): string | undefined {
  const conn = (req.headers.connection ?? '').toLowerCase();
  const upgrade = (req.headers.upgrade ?? '').toLowerCase();
  if (conn.includes('upgrade') && upgrade.includes('spdy/3.1')) return undefined;
  const shown = JSON.stringify({ Connection: req.headers.connection ?? '', Upgrade: req.headers.upgrade ?? '' });
  return `unable to upgrade: missing upgrade headers in request: ${shown}`;
}

/**
 * httpstream.Handshake: the first of the client's `X-Stream-Protocol-Version` values (repeated
 * or comma-separated) that the server supports.
 */
export function negotiateStreamProtocol(req: IncomingMessage, supported: readonly string[]): string {
  const offered = headerList(req, HEADER_PROTOCOL_VERSION);
  if (offered.length === 0) throw new UpgradeError(400, `unable to upgrade: ${HEADER_PROTOCOL_VERSION} is required`);
  const chosen = offered.find((p) => supported.includes(p));
  if (chosen === undefined) {
    throw new UpgradeError(403, `unable to upgrade: unable to negotiate protocol: client supports [${offered.join(' ')}], server accepts [${supported.join(' ')}]`, {
      [HEADER_ACCEPTED_PROTOCOL_VERSIONS]: [...supported],
    });
  }
  return chosen;
}

/** Writes an HTTP error on a socket that was never upgraded, then closes it. */
export function answerError(socket: Duplex, err: unknown): void {
  if (socket.destroyed) return;
  let code: number;
  let contentType: string;
  let body: string;
  let extra: Record<string, string | string[]> = {};
  if (isStatusError(err)) {
    code = err.status.code;
    contentType = 'application/json';
    body = JSON.stringify(err.status);
  } else if (err instanceof UpgradeError) {
    code = err.code;
    contentType = 'text/plain; charset=utf-8';
    body = `${err.message}\n`;
    extra = err.headers;
  } else {
    code = 500;
    contentType = 'text/plain; charset=utf-8';
    body = `${err instanceof Error ? err.message : String(err)}\n`;
  }
  const lines = [`HTTP/1.1 ${code} ${STATUS_CODES[code] ?? 'Error'}`, `Content-Type: ${contentType}`, `Content-Length: ${Buffer.byteLength(body)}`, 'Connection: close'];
  for (const [k, v] of Object.entries(extra)) for (const one of Array.isArray(v) ? v : [v]) lines.push(`${k}: ${one}`);
  socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`);
}

/** Writes the 101 answer of a SPDY upgrade (the socket then carries SPDY frames). */
export function answerSpdyUpgrade(socket: Duplex, protocol: string): void {
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n${HEADER_PROTOCOL_VERSION}: ${protocol}\r\n\r\n`);
}

/** Query booleans as the API server's parameter codec reads them (strconv.ParseBool). */
export function queryBool(q: URLSearchParams, name: string): boolean {
  const v = q.get(name);
  return v !== null && ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v);
}
