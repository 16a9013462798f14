import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { createServer, type Server } from 'node:net';
import { after, before, describe, it } from 'node:test';
import dnsPacket, { type Answer, type DecodedPacket } from 'dns-packet';
import { fixtureCluster, indexOf } from './_fixtures.js';
import { dig, query, rcodeOf, tcp, udp, type Addr } from './_testclient.js';
import { recordLine } from './_zonefile.js';
import { createForwarder, upstreamsFromResolvConf } from './forward.js';
import { startServer, type DnsServer } from './server.js';

const HOST = '127.96.250.12';

type Behaviour = { answers: Answer[]; rcode?: number; truncateUdp?: boolean } | 'silent' | 'wrong-id-first';

/** A fake upstream resolver on 127.x (UDP and TCP on one port) answering from a table by name. */
async function fakeUpstream(host: string, table: (name: string, transport: 'udp' | 'tcp') => Behaviour): Promise<{ addr: Addr; queries: string[]; close(): Promise<void> }> {
  const queries: string[] = [];
  const respond = (q: DecodedPacket, transport: 'udp' | 'tcp'): Buffer[] => {
    const name = q.questions?.[0]?.name ?? '';
    queries.push(`${transport} ${name} ${q.questions?.[0]?.type}`);
    const b = table(name.toLowerCase(), transport);
    if (b === 'silent') return [];
    const base = { type: 'response' as const, id: q.id ?? 0, questions: q.questions ?? [] };
    if (b === 'wrong-id-first') {
      const good = dnsPacket.encode({ ...base, flags: dnsPacket.RECURSION_AVAILABLE, answers: [{ name, type: 'A', ttl: 60, data: '192.0.2.2' }] });
      const bad = dnsPacket.encode({ ...base, id: ((q.id ?? 0) + 1) & 0xffff, flags: dnsPacket.RECURSION_AVAILABLE, answers: [{ name, type: 'A', ttl: 60, data: '192.0.2.66' }] });
      return [bad, good];
    }
    const tc = transport === 'udp' && b.truncateUdp;
    return [dnsPacket.encode({ ...base, flags: dnsPacket.RECURSION_AVAILABLE | (tc ? dnsPacket.TRUNCATED_RESPONSE : 0) | (b.rcode ?? 0), answers: tc ? [] : b.answers })];
  };
  const sock: Socket = createSocket('udp4');
  await new Promise<void>((r) => sock.bind(0, host, r));
  const port = sock.address().port;
  sock.on('message', (m, rinfo) => {
    for (const out of respond(dnsPacket.decode(m), 'udp')) sock.send(out, rinfo.port, rinfo.address);
  });
  const server: Server = createServer((c) => {
    let buf: Buffer = Buffer.alloc(0);
    c.on('error', () => c.destroy());
    c.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        const m = buf.subarray(2, 2 + buf.readUInt16BE(0));
        buf = buf.subarray(2 + m.length);
        for (const out of respond(dnsPacket.decode(m), 'tcp')) {
          const len = Buffer.alloc(2);
          len.writeUInt16BE(out.length);
          c.write(Buffer.concat([len, out]));
        }
      }
    });
  });
  await new Promise<void>((r) => server.listen(port, host, r));
  return {
    addr: { host, port },
    queries,
    close: async () => {
      await new Promise<void>((r) => sock.close(() => r()));
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

const A = (name: string, ip: string): Answer => ({ name, type: 'A', ttl: 60, class: 'IN', data: ip });

function manyA(name: string, n: number): Answer[] {
  return Array.from({ length: n }, (_, i) => A(name, `192.0.2.${i + 1}`));
}

describe('forwarding names outside the cluster', () => {
  let good: Awaited<ReturnType<typeof fakeUpstream>>;
  let silent: Awaited<ReturnType<typeof fakeUpstream>>;
  let server: DnsServer;
  let addr: Addr;

  before(async () => {
    good = await fakeUpstream(HOST, (name) => {
      if (name === 'example.test') return { answers: [A('example.test', '192.0.2.1')] };
      if (name === 'foo.example.com') return { answers: [A('foo.example.com', '192.0.2.7')] };
      if (name === 'big.example.test') return { answers: manyA('big.example.test', 60), truncateUdp: true };
      if (name === 'spoof.example.test') return 'wrong-id-first';
      return { answers: [], rcode: 3 };
    });
    silent = await fakeUpstream('127.96.250.13', () => 'silent');
    const forwarder = createForwarder({ upstreams: [silent.addr, good.addr], attemptTimeoutMs: 200, timeoutMs: 1000 });
    server = await startServer({ index: indexOf(fixtureCluster()), listen: [{ host: HOST, port: 0 }], zone: 'cluster.local', ttl: 5, forwarder });
    addr = server.addresses[0]!;
  });
  after(async () => {
    await server.close();
    await good.close();
    await silent.close();
  });

  it('relays the upstream answer with the client id, after passing over a silent upstream', async () => {
    const t0 = Date.now();
    const r = await udp(addr, query('example.test', 'A', { id: 31337 }));
    assert.equal(r.id, 31337);
    assert.equal(rcodeOf(r), 'NOERROR');
    assert.deepEqual(r.answers?.map(recordLine), ['example.test. 60 IN A 192.0.2.1']);
    assert.ok(Date.now() - t0 < 900, 'the silent upstream cost one attempt timeout, not more');
    assert.ok(silent.queries.some((q) => q.startsWith('udp example.test')));
  });

  it('relays upstream NXDOMAIN as is', async () => {
    assert.equal(rcodeOf(await udp(addr, query('missing.example.test', 'A'))), 'NXDOMAIN');
  });

  it('ignores an upstream reply with the wrong id and takes the matching one', async () => {
    const r = await udp(addr, query('spoof.example.test', 'A'));
    assert.deepEqual(r.answers?.map(recordLine), ['spoof.example.test. 60 IN A 192.0.2.2']);
  });

  it('passes a truncated upstream answer to a UDP client and fetches the full one over TCP for a TCP client', async () => {
    const viaUdp = await udp(addr, query('big.example.test', 'A'));
    assert.ok(viaUdp.flag_tc);
    const [viaTcp] = await tcp(addr, [query('big.example.test', 'A')]);
    assert.equal(viaTcp?.answers?.length, 60);
    assert.ok(good.queries.includes('tcp big.example.test A'));
  });

  it('follows an ExternalName CNAME out of the zone through the upstream', async () => {
    const r = await udp(addr, query('ext.default.svc.cluster.local', 'A'));
    assert.deepEqual(r.answers?.map(recordLine), ['ext.default.svc.cluster.local. 5 IN CNAME foo.example.com.', 'foo.example.com. 60 IN A 192.0.2.7']);
    assert.ok(r.flag_aa);
  });

  it('forwards for dig too', async () => {
    const d = await dig(addr, ['example.test', 'A']);
    assert.equal(d.status, 'NOERROR');
    assert.deepEqual(d.answers, ['example.test. 60 IN A 192.0.2.1']);
  });

  it('never forwards cluster names', async () => {
    const before = good.queries.length + silent.queries.length;
    await udp(addr, query('nope.default.svc.cluster.local', 'A'));
    assert.equal(good.queries.length + silent.queries.length, before);
  });
});

describe('forwarding failures', () => {
  let silent: Awaited<ReturnType<typeof fakeUpstream>>;
  before(async () => {
    silent = await fakeUpstream('127.96.250.14', () => 'silent');
  });
  after(async () => {
    await silent.close();
  });

  it('answers SERVFAIL within the forward timeout when no upstream answers', async () => {
    const forwarder = createForwarder({ upstreams: [silent.addr, silent.addr], attemptTimeoutMs: 200, timeoutMs: 300 });
    const server = await startServer({ index: indexOf([]), listen: [{ host: '127.96.250.14', port: 0 }], zone: 'cluster.local', ttl: 5, forwarder });
    try {
      const t0 = Date.now();
      const r = await udp(server.addresses[0]!, query('example.test', 'A'), 3000);
      const took = Date.now() - t0;
      assert.equal(rcodeOf(r), 'SERVFAIL');
      assert.ok(took >= 250 && took < 1500, `took ${took} ms`);
      const d = await dig(server.addresses[0]!, ['example.test', 'A']);
      assert.equal(d.status, 'SERVFAIL');
    } finally {
      await server.close();
    }
  });

  it('moves past a refused UDP port at once instead of waiting out the attempt timeout', async () => {
    // Bind then close a socket to get a port that nothing listens on.
    const probe = createSocket('udp4');
    await new Promise<void>((r) => probe.bind(0, '127.96.250.14', r));
    const closedPort = probe.address().port;
    await new Promise<void>((r) => probe.close(() => r()));
    const forwarder = createForwarder({ upstreams: [{ host: '127.96.250.14', port: closedPort }], attemptTimeoutMs: 1500, timeoutMs: 1500 });
    const t0 = Date.now();
    assert.equal(await forwarder.exchange(query('example.test', 'A'), { tcp: false }), undefined);
    assert.ok(Date.now() - t0 < 1000, `took ${Date.now() - t0} ms`);
  });

  it('fails at once when every upstream is skipped or none is configured', async () => {
    const f = createForwarder({ upstreams: [silent.addr], skip: () => true, attemptTimeoutMs: 1000 });
    const seen = silent.queries.length;
    const t0 = Date.now();
    assert.equal(await f.exchange(query('example.test', 'A'), { tcp: false }), undefined);
    assert.equal(await createForwarder({ upstreams: [] }).exchange(query('example.test', 'A'), { tcp: false }), undefined);
    assert.ok(Date.now() - t0 < 100);
    assert.equal(silent.queries.length, seen);
  });
});

describe('upstreamsFromResolvConf', () => {
  it('takes nameservers in order on port 53 and leaves out the server itself', () => {
    const text = 'search corp.example\nnameserver 127.96.0.10\nnameserver 10.255.255.53\nnameserver fd00::53\n';
    assert.deepEqual(upstreamsFromResolvConf(text, ['127.96.0.10']), [
      { host: '10.255.255.53', port: 53 },
      { host: 'fd00::53', port: 53 },
    ]);
  });
});
