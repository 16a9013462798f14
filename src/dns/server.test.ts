import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import dnsPacket from 'dns-packet';
import { fixtureCluster, indexOf, service, slice } from './_fixtures.js';
import { dig, query, rcodeOf, tcp, udp, udpRaw, type Addr } from './_testclient.js';
import { recordLine } from './_zonefile.js';
import { startServer, type DnsServer } from './server.js';

const HOST = '127.96.250.11';

/** A headless Service with 40 ready endpoints: ~2 KB of A records, far over 512 bytes. */
function bigCluster() {
  const endpoints = Array.from({ length: 40 }, (_, i) => `127.244.9.${i + 1}`);
  return [...fixtureCluster(), service('default/big', { clusterIP: 'None', ports: ['http:80/TCP'] }), slice('default/big-1', { service: 'big', endpoints, ports: ['http:8080/TCP'] })];
}

describe('DNS server over UDP and TCP', () => {
  let server: DnsServer;
  let addr: Addr;
  before(async () => {
    server = await startServer({ index: indexOf(bigCluster()), listen: [{ host: HOST, port: 0 }], zone: 'cluster.local', ttl: 5 });
    addr = server.addresses[0]!;
  });
  after(async () => {
    await server.close();
  });

  it('binds UDP and TCP on the same port when asked for port 0', async () => {
    assert.ok(addr.port > 0);
    const [viaTcp] = await tcp(addr, [query('web.default.svc.cluster.local', 'A')]);
    assert.equal(viaTcp?.answers?.length, 1);
  });

  it('answers an A query over UDP with the id, question, AA, RA and the RD bit echoed', async () => {
    const r = await udp(addr, query('web.default.svc.cluster.local', 'A', { id: 777 }));
    assert.equal(r.id, 777);
    assert.equal(rcodeOf(r), 'NOERROR');
    assert.ok(r.flag_qr && r.flag_aa && r.flag_ra && r.flag_rd);
    assert.deepEqual(r.questions, [{ name: 'web.default.svc.cluster.local', type: 'A', class: 'IN' }]);
    assert.deepEqual(r.answers?.map(recordLine), ['web.default.svc.cluster.local. 5 IN A 127.96.0.20']);
  });

  it('matches names case-insensitively and echoes the question case in question and answer', async () => {
    const r = await udp(addr, query('WEB.Default.Svc.CLUSTER.local', 'A'));
    assert.equal(r.questions?.[0]?.name, 'WEB.Default.Svc.CLUSTER.local');
    assert.deepEqual(r.answers?.map(recordLine), ['WEB.Default.Svc.CLUSTER.local. 5 IN A 127.96.0.20']);
  });

  it('answers NXDOMAIN and NODATA with the SOA in the authority section', async () => {
    const nx = await udp(addr, query('nope.default.svc.cluster.local', 'A'));
    assert.equal(rcodeOf(nx), 'NXDOMAIN');
    assert.equal(nx.authorities?.[0]?.type, 'SOA');
    const nodata = await udp(addr, query('web.default.svc.cluster.local', 'AAAA'));
    assert.equal(rcodeOf(nodata), 'NOERROR');
    assert.equal(nodata.answers?.length, 0);
    assert.equal(nodata.authorities?.[0]?.type, 'SOA');
  });

  it('answers with an OPT record advertising 1232 bytes when the query has EDNS0', async () => {
    const r = await udp(addr, query('web.default.svc.cluster.local', 'A', { edns: 4096 }));
    const opt = r.additionals?.find((a) => a.type === 'OPT');
    assert.ok(opt && opt.type === 'OPT' && opt.udpPayloadSize === 1232);
    const plain = await udp(addr, query('web.default.svc.cluster.local', 'A'));
    assert.equal(plain.additionals?.some((a) => a.type === 'OPT'), false);
  });

  it('answers BADVERS for an EDNS version above 0', async () => {
    const p = dnsPacket.encode({
      type: 'query',
      id: 1,
      questions: [{ name: 'web.default.svc.cluster.local', type: 'A' }],
      additionals: [{ name: '.', type: 'OPT', udpPayloadSize: 1232, extendedRcode: 0, ednsVersion: 1, flags: 0, flag_do: false, options: [] }],
    });
    const r = await udp(addr, p);
    const opt = r.additionals?.find((a) => a.type === 'OPT');
    assert.ok(opt && opt.type === 'OPT');
    assert.equal((opt.extendedRcode << 4) | ((r.flags ?? 0) & 0xf), 16);
  });

  it('sets TC and cuts answers to fit 512 bytes for a UDP client without EDNS', async () => {
    const r = await udp(addr, query('big.default.svc.cluster.local', 'A'));
    assert.ok(r.flag_tc, 'TC set');
    assert.ok(r.raw.length <= 512, `${r.raw.length} bytes`);
    assert.ok((r.answers?.length ?? 0) > 0 && (r.answers?.length ?? 0) < 40);
  });

  it('fits the EDNS0 payload size the client advertises', async () => {
    const r = await udp(addr, query('big.default.svc.cluster.local', 'A', { edns: 4096 }));
    assert.equal(r.flag_tc, false);
    assert.equal(r.answers?.length, 40);
    const small = await udp(addr, query('big.default.svc.cluster.local', 'A', { edns: 1000 }));
    assert.ok(small.flag_tc && small.raw.length <= 1000);
  });

  it('drops additional records before truncating answers (no TC when only glue does not fit)', async () => {
    // 40 SRV answers (~4.1 KB uncompressed) + 40 glue A records (~2 KB): the glue goes, the answers stay.
    const r = await udp(addr, query('_http._tcp.big.default.svc.cluster.local', 'SRV', { edns: 5000 }));
    assert.ok(r.raw.length <= 5000);
    assert.equal(r.flag_tc, false);
    assert.equal(r.answers?.length, 40);
    assert.equal(r.additionals?.filter((a) => a.type !== 'OPT').length, 0);
  });

  it('gives the full answer over TCP, so a client retrying after TC gets every record', async () => {
    const first = await udp(addr, query('big.default.svc.cluster.local', 'A'));
    assert.ok(first.flag_tc);
    const [retry] = await tcp(addr, [query('big.default.svc.cluster.local', 'A')]);
    assert.equal(retry?.flag_tc, false);
    assert.equal(retry?.answers?.length, 40);
  });

  it('answers several pipelined queries on one TCP connection', async () => {
    const replies = await tcp(addr, [query('web.default.svc.cluster.local', 'A', { id: 1 }), query('db.default.svc.cluster.local', 'A', { id: 2 }), query('nope.default.svc.cluster.local', 'A', { id: 3 })]);
    assert.deepEqual(replies.map((r) => [r.id, rcodeOf(r)]).sort(), [
      [1, 'NOERROR'],
      [2, 'NOERROR'],
      [3, 'NXDOMAIN'],
    ]);
  });

  it('answers FORMERR for garbage after a header and for two questions, NOTIMP for other opcodes, REFUSED for class CH', async () => {
    const garbage = Buffer.concat([Buffer.from([0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0]), Buffer.from([0x3f, 0x41])]);
    const g = await udp(addr, garbage);
    assert.equal(g.id, 0x1234);
    assert.equal(rcodeOf(g), 'FORMERR');
    const two = dnsPacket.encode({ type: 'query', id: 5, questions: [{ name: 'a.cluster.local', type: 'A' }, { name: 'b.cluster.local', type: 'A' }] });
    assert.equal(rcodeOf(await udp(addr, two)), 'FORMERR');
    const update = query('web.default.svc.cluster.local', 'A');
    update.writeUInt16BE(update.readUInt16BE(2) | (5 << 11), 2);
    assert.equal(rcodeOf(await udp(addr, update)), 'NOTIMP');
    const ch = dnsPacket.encode({ type: 'query', id: 6, questions: [{ name: 'version.bind', type: 'TXT', class: 'CH' }] });
    assert.equal(rcodeOf(await udp(addr, ch)), 'REFUSED');
  });

  it('does not answer packets that are responses or shorter than a header', async () => {
    const resp = query('web.default.svc.cluster.local', 'A');
    resp.writeUInt16BE(resp.readUInt16BE(2) | 0x8000, 2);
    assert.equal(await udpRaw(addr, resp, 300), undefined);
    assert.equal(await udpRaw(addr, Buffer.from([1, 2, 3]), 300), undefined);
  });

  it('answers SERVFAIL for names outside the zone when it has no forwarder', async () => {
    assert.equal(rcodeOf(await udp(addr, query('example.com', 'A'))), 'SERVFAIL');
  });

  it('makes dig retry over TCP after a truncated UDP answer', async () => {
    const r = await dig(addr, ['+noedns', 'big.default.svc.cluster.local', 'A']);
    assert.match(r.output, /Truncated, retrying in TCP mode/);
    assert.equal(r.answers.length, 40);
    assert.match(r.output, /\(TCP\)/);
  });

  it('serves the configured TTL as dig sees it', async () => {
    const r = await dig(addr, ['web.default.svc.cluster.local', 'A']);
    assert.deepEqual(r.answers, ['web.default.svc.cluster.local. 5 IN A 127.96.0.20']);
  });
});

describe('DNS server before the index is synced', () => {
  let server: DnsServer;
  before(async () => {
    server = await startServer({ index: indexOf(fixtureCluster(), { synced: false }), listen: [{ host: HOST, port: 0 }], zone: 'cluster.local', ttl: 5 });
  });
  after(async () => {
    await server.close();
  });

  it('answers SERVFAIL for cluster names, existing or not, rather than a cacheable NXDOMAIN', async () => {
    const addr = server.addresses[0]!;
    assert.equal(rcodeOf(await udp(addr, query('web.default.svc.cluster.local', 'A'))), 'SERVFAIL');
    const d = await dig(addr, ['nope.default.svc.cluster.local', 'A']);
    assert.equal(d.status, 'SERVFAIL');
  });
});

describe('DNS server start-up', () => {
  it('rejects with the address and protocol when a port is taken, and closes what it opened', async () => {
    const first = await startServer({ index: indexOf([]), listen: [{ host: HOST, port: 0 }], zone: 'cluster.local', ttl: 5 });
    try {
      const port = first.addresses[0]!.port;
      await assert.rejects(startServer({ index: indexOf([]), listen: [{ host: HOST, port }], zone: 'cluster.local', ttl: 5 }), new RegExp(`^Error: Cannot listen on ${HOST.replace(/\./g, '\\.')}:${port}/udp: .*EADDRINUSE`));
    } finally {
      await first.close();
    }
  });
});
