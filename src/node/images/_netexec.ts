// agnhost netexec: an HTTP(S) server with test endpoints plus a UDP server answering
// `hostname`, `echo <msg>` and `clientip`. Endpoint behaviour follows upstream
// test/images/agnhost/netexec, including its quirks (UDP commands are lower-cased; /healthz is
// ready only while the UDP server runs).
import { createServer as createHttpServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createSocket, type Socket } from 'node:dgram';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { FlagError, parseFlags, parseGoDuration } from './_flags.js';
import { bindAddress, logLine, onTermination, podHostname } from './_pod.js';

type Handler = (req: IncomingMessage, res: ServerResponse, form: URLSearchParams) => void | Promise<void>;

interface ExitRequest {
  code: number;
  timeoutMs: number;
}

function remoteAddr(req: IncomingMessage): string {
  const raw = req.socket.remoteAddress ?? '';
  const ip = raw.startsWith('::ffff:') ? raw.slice(7) : raw;
  const port = req.socket.remotePort ?? 0;
  return isIP(ip) === 6 ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** Go's http.Request.FormValue: query string plus an urlencoded body. */
async function formValues(req: IncomingMessage, url: URL): Promise<URLSearchParams> {
  const form = new URLSearchParams(url.searchParams);
  const type = req.headers['content-type'] ?? '';
  if ((req.method === 'POST' || req.method === 'PUT') && type.startsWith('application/x-www-form-urlencoded')) {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of req) {
      const b = c as Buffer;
      size += b.length;
      if (size > 1 << 20) break;
      chunks.push(b);
    }
    for (const [k, v] of new URLSearchParams(Buffer.concat(chunks).toString('utf8'))) form.append(k, v);
  } else {
    req.resume();
  }
  return form;
}

function send(res: ServerResponse, body: string, status = 200): void {
  if (!res.headersSent) res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(body);
}

function dialHTTP(request: string, host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const path = `/${request}`;
    const req = httpRequest({ host, port, path, method: 'GET', timeout: 5000, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`Get "http://${host}:${port}${path}": context deadline exceeded`)));
    req.on('error', reject);
    req.end();
  });
}

function dialUDP(request: string, host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = createSocket(isIP(host) === 6 ? 'udp6' : 'udp4');
    const done = (err: Error | null, value = ''): void => {
      clearTimeout(timer);
      sock.close();
      if (err) reject(err);
      else resolve(value);
    };
    const timer = setTimeout(
      () => done(new Error("reading from udp connection failed. err:'i/o timeout'")),
      5000,
    );
    sock.on('message', (msg) => done(null, msg.toString('utf8')));
    sock.on('error', (err) => done(new Error(`reading from udp connection failed. err:'${err.message}'`)));
    sock.connect(port, host, () => sock.send(request));
  });
}

function goJSON(obj: Record<string, unknown>): string {
  // Go's json.Marshal sorts map keys and escapes <, > and &.
  const sorted: Record<string, unknown> = {};
  for (const k of Object.keys(obj).sort()) sorted[k] = obj[k];
  return JSON.stringify(sorted).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

export function runNetexec(args: readonly string[]): void {
  const { values, positional } = parseFlags(args, {
    'http-port': { kind: 'int', default: 8080 },
    'udp-port': { kind: 'int', default: 8081 },
    'sctp-port': { kind: 'int', default: -1 },
    'tls-cert-file': { kind: 'string', default: '' },
    'tls-private-key-file': { kind: 'string', default: '' },
    'http-override': { kind: 'string', default: '' },
    'udp-listen-addresses': { kind: 'string', default: '' },
    'delay-shutdown': { kind: 'int', default: 0 },
  });
  if (positional.length > 0) throw new FlagError(`accepts at most 0 arg(s), received ${positional.length}`);
  const httpPort = Number(values['http-port']);
  const udpPort = Number(values['udp-port']);
  const httpOverride = String(values['http-override']);
  if (Number(values['sctp-port']) !== -1) logLine('SCTP is not supported by this agnhost; --sctp-port ignored');
  const host = bindAddress();
  let udpReady = false;
  const udpSockets: Socket[] = [];

  let requestExit: (r: ExitRequest) => void = () => undefined;

  const routes: Record<string, Handler> = {
    '/': (_req, res) => {
      logLine('GET /');
      send(res, `NOW: ${new Date().toISOString()}`);
    },
    '/clientip': (req, res) => {
      logLine('GET /clientip');
      send(res, remoteAddr(req));
    },
    '/echo': (_req, res, form) => {
      const msg = form.get('msg') ?? '';
      const codeString = form.get('code') ?? '';
      logLine(`GET /echo?msg=${msg}&code=${codeString}`);
      if (codeString !== '') {
        if (!/^[-+]?\d+$/.test(codeString)) {
          send(res, `argument 'code' must be an integer or empty, got "${codeString}"\n`);
          return;
        }
        send(res, msg, Number(codeString));
        return;
      }
      send(res, msg);
    },
    '/hostname': (_req, res) => {
      logLine('GET /hostname');
      send(res, podHostname());
    },
    '/hostName': (_req, res) => {
      logLine('GET /hostName');
      send(res, podHostname());
    },
    '/healthz': (_req, res) => {
      logLine('GET /healthz');
      send(res, '', udpReady ? 200 : 412);
    },
    '/header': (req, res, form) => {
      const key = form.get('key') ?? '';
      logLine(`GET /header?key=${key}`);
      const v = req.headers[key.toLowerCase()];
      send(res, Array.isArray(v) ? v.join(',') : (v ?? ''));
    },
    '/redirect': (_req, res, form) => {
      const location = form.get('location') ?? '';
      const codeString = form.get('code') ?? '';
      logLine(`GET /redirect?msg=${location}&code=${codeString}`);
      let code = 302;
      if (codeString !== '') {
        if (!/^\d+$/.test(codeString)) {
          send(res, `argument 'code' must be an integer or empty, got "${codeString}"\n`);
          return;
        }
        code = Number(codeString);
      }
      res.writeHead(code, { Location: location });
      res.end();
    },
    '/shell': (_req, res, form) => {
      const cmd = form.get('shellCommand') || form.get('cmd') || '';
      logLine(`GET /shell?cmd=${cmd}`);
      execFile('/bin/sh', ['-c', cmd], { timeout: 60_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
        const output: Record<string, unknown> = {};
        const combined = `${stdout}${stderr}`;
        if (combined.length > 0) output['output'] = combined;
        if (err) output['error'] = typeof err.code === 'number' ? `exit status ${err.code}` : err.message;
        send(res, goJSON(output));
      });
    },
    '/dial': async (_req, res, form) => {
      const dhost = form.get('host') ?? '';
      const dport = form.get('port') ?? '';
      const request = form.get('request') ?? '';
      const protocol = (form.get('protocol') ?? '').toLowerCase();
      const triesParam = form.get('tries') ?? '';
      logLine(`GET /dial?host=${dhost}&protocol=${protocol}&port=${dport}&request=${request}&tries=${triesParam}`);
      const tries = triesParam === '' ? 1 : Number(triesParam);
      if (!Number.isInteger(tries)) {
        send(res, `tries parameter is invalid. strconv.Atoi: parsing "${triesParam}": invalid syntax\n`, 400);
        return;
      }
      if (request === '') {
        send(res, 'request parameter not specified. <nil>\n', 400);
        return;
      }
      let dialer: (r: string, h: string, p: number) => Promise<string>;
      if (protocol === '' || protocol === 'http') dialer = dialHTTP;
      else if (protocol === 'udp') dialer = dialUDP;
      else {
        send(res, `unsupported protocol. ${protocol}\n`, 400);
        return;
      }
      const port = Number(dport);
      if (!/^\d+$/.test(dport) || port > 65535 || dhost === '') {
        send(res, `host and/or port param are invalid. address ${dhost}:${dport}: invalid\n`, 400);
        return;
      }
      const errors: string[] = [];
      const responses: string[] = [];
      let last = '';
      for (let i = 0; i < Math.min(tries, 1000); i++) {
        try {
          last = await dialer(request, dhost, port);
          responses.push(last);
        } catch (err) {
          last = '';
          errors.push((err as Error).message);
        }
      }
      const output: Record<string, string[]> = {};
      if (last.length > 0) output['responses'] = responses;
      if (errors.length > 0) output['errors'] = errors;
      send(res, goJSON(output));
    },
    '/exit': (_req, res, form) => {
      const waitString = form.get('wait') ?? '';
      const timeoutString = form.get('timeout') ?? '';
      const codeString = form.get('code') ?? '';
      logLine(`GET /exit?code=${codeString}&timeout=${timeoutString}&wait=${waitString}`);
      let timeoutMs = 0;
      let waitMs = 0;
      try {
        timeoutMs = timeoutString === '' ? 0 : parseGoDuration(timeoutString);
      } catch {
        send(res, `argument 'timeout' must be a valid golang duration or empty, got "${timeoutString}"\n`);
        return;
      }
      try {
        waitMs = waitString === '' ? 0 : parseGoDuration(waitString);
      } catch {
        send(res, `argument 'wait' must be a valid golang duration or empty, got "${waitString}"\n`);
        return;
      }
      if (codeString !== '' && !/^[-+]?\d+$/.test(codeString)) {
        send(res, `argument 'code' must be an integer [0-127] or empty, got "${codeString}"\n`);
        return;
      }
      const code = codeString === '' ? 0 : Number(codeString);
      setTimeout(() => {
        if (timeoutMs === 0) process.exit(code);
        requestExit({ code, timeoutMs });
      }, waitMs);
    },
    '/shutdown': () => {
      logLine('GET /shutdown');
      process.exit(0);
    },
    '/upload': (_req, res) => {
      logLine('GET /upload');
      send(res, goJSON({ error: 'Unable to upload file.' }));
    },
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const raw = httpOverride !== '' ? httpOverride : (req.url ?? '/');
    const url = new URL(raw, 'http://netexec.invalid');
    const route = routes[url.pathname] ?? routes['/'];
    try {
      const form = await formValues(req, url);
      await route?.(req, res, form);
    } catch (err) {
      send(res, `${(err as Error).message}\n`, 500);
    }
  };

  const certFile = String(values['tls-cert-file']);
  const keyFile = String(values['tls-private-key-file']);
  const server =
    certFile !== ''
      ? createHttpsServer({ cert: readFileSync(certFile), key: readFileSync(keyFile || certFile) }, (q, s) => void handle(q, s))
      : createHttpServer((q, s) => void handle(q, s));
  server.on('error', (err) => {
    logLine(`${err.message}`);
    process.exit(1);
  });
  server.listen(httpPort, host, () => logLine(`Started HTTP server on port ${httpPort}`));

  requestExit = ({ code, timeoutMs }) => {
    const force = setTimeout(() => process.exit(code), timeoutMs);
    server.close(() => {
      clearTimeout(force);
      logLine('Graceful shutdown completed with: <nil>');
      process.exit(code);
    });
    server.closeIdleConnections();
  };

  if (udpPort !== -1) {
    const addrs = String(values['udp-listen-addresses'])
      .split(',')
      .map((a) => a.trim())
      .filter((a) => a !== '');
    for (const address of addrs.length > 0 ? [...new Set(addrs)].sort() : [host]) {
      if (isIP(address) === 0) {
        logLine(`parseAddress: invalid address ${address}`);
        process.exit(1);
      }
      const sock = createSocket(isIP(address) === 6 ? 'udp6' : 'udp4');
      udpSockets.push(sock);
      sock.on('error', (err) => {
        logLine(`Error occurred: failed to create listener for UDP address ${address}:${udpPort}:${err.message}`);
        process.exit(1);
      });
      sock.on('message', (buf, rinfo) => {
        const text = buf.toString('utf8').trim().toLowerCase();
        const client = rinfo.family === 'IPv6' ? `[${rinfo.address}]:${rinfo.port}` : `${rinfo.address}:${rinfo.port}`;
        let reply: string | undefined;
        if (text === 'hostname') reply = podHostname();
        else if (text.startsWith('echo ')) reply = text.slice(5);
        else if (text === 'clientip') reply = client;
        else if (text.length > 0) logLine(`Unknown UDP command received from ${client}: ${text}`);
        if (reply !== undefined) sock.send(reply, rinfo.port, rinfo.address);
      });
      sock.bind(udpPort, address, () => {
        logLine(`Started UDP server on port ${address} ${udpPort}`);
        udpReady = true;
      });
    }
  }

  onTermination(() => {
    const delayMs = Number(values['delay-shutdown']) * 1000;
    setTimeout(() => {
      for (const s of udpSockets) s.close();
      server.close(() => process.exit(0));
      server.closeAllConnections();
    }, delayMs);
  });
}
