import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FIXTURE_SERIAL, fixtureCluster, indexOf, service, slice } from './_fixtures.js';
import { responseText, zone } from './_zonefile.js';
import { parseClusterName, resolve, type ResolveOptions } from './resolve.js';
import type { ClusterIndex } from './cluster_index.js';

const opts: ResolveOptions = { zone: 'cluster.local', ttl: 5 };
const SOA = `cluster.local. 5 IN SOA ns.dns.cluster.local. hostmaster.cluster.local. ${FIXTURE_SERIAL} 7200 1800 86400 5`;

function dig(index: ClusterIndex, name: string, type: string, o: ResolveOptions = opts): string {
  const r = resolve(index, { name, type }, o);
  if (r.kind !== 'answer') return `;; ${r.kind}`;
  return responseText(r) + (r.chase ? `\n;; CHASE ${r.chase.name} ${r.chase.type}` : '');
}

describe('resolve: ClusterIP Services', () => {
  const index = indexOf(fixtureCluster());

  it('answers A with the ClusterIP', () => {
    assert.equal(
      dig(index, 'web.default.svc.cluster.local', 'A'),
      zone`
        ;; NOERROR
        web.default.svc.cluster.local. 5 IN A 127.96.0.20`,
    );
  });

  it('answers SRV per named port with the Service as target and its address as glue', () => {
    assert.equal(
      dig(index, '_http._tcp.web.default.svc.cluster.local', 'SRV'),
      zone`
        ;; NOERROR
        _http._tcp.web.default.svc.cluster.local. 5 IN SRV 0 100 80 web.default.svc.cluster.local.
        ;; ADDITIONAL
        web.default.svc.cluster.local. 5 IN A 127.96.0.20`,
    );
  });

  it('answers SRV at the Service name itself for every port, named or not (as CoreDNS)', () => {
    assert.equal(
      dig(index, 'web.default.svc.cluster.local', 'SRV'),
      zone`
        ;; NOERROR
        web.default.svc.cluster.local. 5 IN SRV 0 50 80 web.default.svc.cluster.local.
        web.default.svc.cluster.local. 5 IN SRV 0 50 8080 web.default.svc.cluster.local.
        ;; ADDITIONAL
        web.default.svc.cluster.local. 5 IN A 127.96.0.20`,
    );
  });

  it('answers NXDOMAIN for a port name the Service does not have, or the wrong protocol', () => {
    assert.equal(dig(index, '_https._tcp.web.default.svc.cluster.local', 'SRV'), zone`;; NXDOMAIN\n;; AUTHORITY\n${SOA}`);
    assert.equal(dig(index, '_http._udp.web.default.svc.cluster.local', 'SRV'), zone`;; NXDOMAIN\n;; AUTHORITY\n${SOA}`);
  });

  it('answers NODATA (NOERROR, no answers, SOA) for AAAA of an IPv4-only Service', () => {
    assert.equal(dig(index, 'web.default.svc.cluster.local', 'AAAA'), zone`;; NOERROR\n;; AUTHORITY\n${SOA}`);
  });

  it('answers NODATA for an SRV name asked for A', () => {
    assert.equal(dig(index, '_http._tcp.web.default.svc.cluster.local', 'A'), zone`;; NOERROR\n;; AUTHORITY\n${SOA}`);
  });

  it('answers A and AAAA from the matching family of a dual-stack Service', () => {
    assert.equal(dig(index, 'dual.prod.svc.cluster.local', 'A'), zone`;; NOERROR\ndual.prod.svc.cluster.local. 5 IN A 127.96.0.30`);
    assert.equal(dig(index, 'dual.prod.svc.cluster.local', 'AAAA'), zone`;; NOERROR\ndual.prod.svc.cluster.local. 5 IN AAAA fd00:96::30`);
  });

  it('resolves the endpoint names of a ClusterIP Service too (as CoreDNS)', () => {
    assert.equal(dig(index, '127-244-0-5.web.default.svc.cluster.local', 'A'), zone`;; NOERROR\n127-244-0-5.web.default.svc.cluster.local. 5 IN A 127.244.0.5`);
  });
});

describe('resolve: headless Services', () => {
  const index = indexOf(fixtureCluster());

  it('answers A with every ready endpoint and leaves unready ones out', () => {
    assert.equal(
      dig(index, 'db.default.svc.cluster.local', 'A'),
      zone`
        ;; NOERROR
        db.default.svc.cluster.local. 5 IN A 127.244.0.7
        db.default.svc.cluster.local. 5 IN A 127.244.1.8
        db.default.svc.cluster.local. 5 IN A 127.244.0.9`,
    );
  });

  it('answers A for <hostname>.<svc> of a ready endpoint, and for the dashed-IP name of one without a hostname', () => {
    assert.equal(dig(index, 'db-0.db.default.svc.cluster.local', 'A'), zone`;; NOERROR\ndb-0.db.default.svc.cluster.local. 5 IN A 127.244.0.7`);
    assert.equal(dig(index, '127-244-0-9.db.default.svc.cluster.local', 'A'), zone`;; NOERROR\n127-244-0-9.db.default.svc.cluster.local. 5 IN A 127.244.0.9`);
  });

  it('answers NXDOMAIN for the hostname of an unready endpoint', () => {
    assert.equal(dig(index, 'db-3.db.default.svc.cluster.local', 'A'), zone`;; NXDOMAIN\n;; AUTHORITY\n${SOA}`);
  });

  it('answers SRV per ready endpoint and named port, targeting each endpoint name with the endpoint port', () => {
    assert.equal(
      dig(index, '_pg._tcp.db.default.svc.cluster.local', 'SRV'),
      zone`
        ;; NOERROR
        _pg._tcp.db.default.svc.cluster.local. 5 IN SRV 0 33 5432 db-0.db.default.svc.cluster.local.
        _pg._tcp.db.default.svc.cluster.local. 5 IN SRV 0 33 5432 db-1.db.default.svc.cluster.local.
        _pg._tcp.db.default.svc.cluster.local. 5 IN SRV 0 33 5432 127-244-0-9.db.default.svc.cluster.local.
        ;; ADDITIONAL
        db-0.db.default.svc.cluster.local. 5 IN A 127.244.0.7
        db-1.db.default.svc.cluster.local. 5 IN A 127.244.1.8
        127-244-0-9.db.default.svc.cluster.local. 5 IN A 127.244.0.9`,
    );
  });

  it('answers NXDOMAIN for a headless Service without ready endpoints (spec 2.4.1)', () => {
    assert.equal(dig(index, 'empty-headless.default.svc.cluster.local', 'A'), zone`;; NXDOMAIN\n;; AUTHORITY\n${SOA}`);
  });

  it('publishes unready endpoints of a Service with publishNotReadyAddresses', () => {
    assert.equal(dig(index, 'warm.prod.svc.cluster.local', 'A'), zone`;; NOERROR\nwarm.prod.svc.cluster.local. 5 IN A 127.244.2.3`);
    assert.equal(dig(index, 'warm-0.warm.prod.svc.cluster.local', 'A'), zone`;; NOERROR\nwarm-0.warm.prod.svc.cluster.local. 5 IN A 127.244.2.3`);
  });

  it('answers a pod with hostname and subdomain at <hostname>.<subdomain>.<ns>.svc once its endpoint carries the hostname', () => {
    const idx = indexOf([
      service('team/pets', { clusterIP: 'None' }),
      slice('team/pets-1', { service: 'pets', endpoints: ['127.244.3.4 hostname=rex'] }),
    ]);
    assert.equal(dig(idx, 'rex.pets.team.svc.cluster.local', 'A'), zone`;; NOERROR\nrex.pets.team.svc.cluster.local. 5 IN A 127.244.3.4`);
  });

  it('merges endpoints across slices and keeps one record per IP', () => {
    const idx = indexOf([
      service('default/multi', { clusterIP: 'None' }),
      slice('default/multi-1', { service: 'multi', endpoints: ['127.244.0.1', '127.244.0.2 notready'] }),
      slice('default/multi-2', { service: 'multi', endpoints: ['127.244.0.2', '127.244.0.3'] }),
    ]);
    assert.equal(
      dig(idx, 'multi.default.svc.cluster.local', 'A'),
      zone`
        ;; NOERROR
        multi.default.svc.cluster.local. 5 IN A 127.244.0.1
        multi.default.svc.cluster.local. 5 IN A 127.244.0.2
        multi.default.svc.cluster.local. 5 IN A 127.244.0.3`,
    );
  });
});

describe('resolve: ExternalName Services', () => {
  const index = indexOf(fixtureCluster());

  it('answers a CNAME to the external name and asks the server to chase it outside the zone', () => {
    assert.equal(
      dig(index, 'ext.default.svc.cluster.local', 'A'),
      zone`
        ;; NOERROR
        ext.default.svc.cluster.local. 5 IN CNAME foo.example.com.
        ;; CHASE foo.example.com A`,
    );
  });

  it('answers CNAME queries with the CNAME alone', () => {
    assert.equal(dig(index, 'ext.default.svc.cluster.local', 'CNAME'), zone`;; NOERROR\next.default.svc.cluster.local. 5 IN CNAME foo.example.com.`);
  });

  it('follows a CNAME into the zone and appends the target records', () => {
    assert.equal(
      dig(index, 'alias.default.svc.cluster.local', 'A'),
      zone`
        ;; NOERROR
        alias.default.svc.cluster.local. 5 IN CNAME web.default.svc.cluster.local.
        web.default.svc.cluster.local. 5 IN A 127.96.0.20`,
    );
  });

  it('cuts a CNAME loop between ExternalName Services instead of recursing forever', () => {
    const out = dig(index, 'loop-a.default.svc.cluster.local', 'A').split('\n');
    assert.equal(out[0], ';; NOERROR');
    assert.ok(out.length <= 11, `chain is bounded: ${out.length} lines`);
  });

  it('answers NXDOMAIN below an ExternalName Service', () => {
    assert.equal(dig(index, 'x.ext.default.svc.cluster.local', 'A'), zone`;; NXDOMAIN\n;; AUTHORITY\n${SOA}`);
  });
});

describe('resolve: names that do or do not exist', () => {
  const index = indexOf(fixtureCluster());

  it('answers the schema version TXT', () => {
    assert.equal(dig(index, 'dns-version.cluster.local', 'TXT'), zone`;; NOERROR\ndns-version.cluster.local. 5 IN TXT "1.1.0"`);
  });

  it('answers NXDOMAIN for a Service that does not exist and for a namespace without Services', () => {
    assert.equal(dig(index, 'nope.default.svc.cluster.local', 'A'), zone`;; NXDOMAIN\n;; AUTHORITY\n${SOA}`);
    assert.equal(dig(index, 'empty.svc.cluster.local', 'A'), zone`;; NXDOMAIN\n;; AUTHORITY\n${SOA}`);
  });

  it('answers NODATA for empty non-terminals: the apex, svc, a namespace with Services', () => {
    for (const n of ['cluster.local', 'svc.cluster.local', 'default.svc.cluster.local', 'pod.cluster.local']) {
      assert.equal(dig(index, n, 'A'), zone`;; NOERROR\n;; AUTHORITY\n${SOA}`, n);
    }
  });

  it('answers NXDOMAIN for names of no known shape', () => {
    for (const n of ['foo.cluster.local', 'a.b.c.web.default.svc.cluster.local', 'web.default.other.cluster.local']) {
      assert.equal(dig(index, n, 'A'), zone`;; NXDOMAIN\n;; AUTHORITY\n${SOA}`, n);
    }
  });

  it('answers SOA and NS at the apex and A for the NS name from the kube-dns Service', () => {
    assert.equal(dig(index, 'cluster.local', 'SOA'), zone`;; NOERROR\n${SOA}`);
    assert.equal(dig(index, 'cluster.local', 'NS'), zone`;; NOERROR\ncluster.local. 5 IN NS ns.dns.cluster.local.`);
    assert.equal(dig(index, 'ns.dns.cluster.local', 'A'), zone`;; NOERROR\nns.dns.cluster.local. 5 IN A 127.96.0.10`);
  });

  it('answers pod A records for dashed IPs in any namespace unless pod records are disabled', () => {
    assert.equal(dig(index, '127-244-0-5.default.pod.cluster.local', 'A'), zone`;; NOERROR\n127-244-0-5.default.pod.cluster.local. 5 IN A 127.244.0.5`);
    assert.equal(dig(index, '127-244-0-5.default.pod.cluster.local', 'A', { ...opts, podRecords: 'disabled' }), zone`;; NXDOMAIN\n;; AUTHORITY\n${SOA}`);
    assert.equal(dig(index, 'not-an-ip.default.pod.cluster.local', 'A'), zone`;; NXDOMAIN\n;; AUTHORITY\n${SOA}`);
  });

  it('matches names case-insensitively and answers with the case of the question', () => {
    assert.equal(dig(index, 'WeB.DeFault.SVC.Cluster.Local.', 'A'), zone`;; NOERROR\nWeB.DeFault.SVC.Cluster.Local. 5 IN A 127.96.0.20`);
    assert.equal(dig(index, '_HTTP._TCP.web.default.svc.cluster.local', 'SRV').split('\n')[1], '_HTTP._TCP.web.default.svc.cluster.local. 5 IN SRV 0 100 80 web.default.svc.cluster.local.');
  });

  it('serves every record with the configured TTL', () => {
    assert.equal(dig(index, 'web.default.svc.cluster.local', 'A', { ...opts, ttl: 30 }), zone`;; NOERROR\nweb.default.svc.cluster.local. 30 IN A 127.96.0.20`);
  });

  it('serves the zone it is configured with, whatever its case or trailing dot', () => {
    assert.equal(dig(index, 'web.default.svc.kube.test', 'A', { ...opts, zone: 'Kube.Test.' }), zone`;; NOERROR\nweb.default.svc.kube.test. 5 IN A 127.96.0.20`);
    assert.equal(dig(index, 'web.default.svc.cluster.local', 'A', { ...opts, zone: 'kube.test' }), ';; not-ours');
  });
});

describe('resolve: reverse lookups', () => {
  const index = indexOf(fixtureCluster());

  it('answers PTR for a ClusterIP with the Service name', () => {
    assert.equal(dig(index, '20.0.96.127.in-addr.arpa', 'PTR'), zone`;; NOERROR\n20.0.96.127.in-addr.arpa. 5 IN PTR web.default.svc.cluster.local.`);
  });

  it('answers PTR for an IPv6 ClusterIP in nibble form', () => {
    const name = '0.3.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.6.9.0.0.0.0.d.f.ip6.arpa';
    assert.equal(dig(index, name, 'PTR'), zone`;; NOERROR\n${name}. 5 IN PTR dual.prod.svc.cluster.local.`);
  });

  it('answers PTR for a ready headless endpoint with its hostname name, and the dashed name without one', () => {
    assert.equal(dig(index, '7.0.244.127.in-addr.arpa', 'PTR'), zone`;; NOERROR\n7.0.244.127.in-addr.arpa. 5 IN PTR db-0.db.default.svc.cluster.local.`);
    assert.equal(dig(index, '9.0.244.127.in-addr.arpa', 'PTR'), zone`;; NOERROR\n9.0.244.127.in-addr.arpa. 5 IN PTR 127-244-0-9.db.default.svc.cluster.local.`);
  });

  it('leaves reverse names of unknown or unready IPs to the upstream resolvers', () => {
    assert.equal(dig(index, '99.0.96.127.in-addr.arpa', 'PTR'), ';; not-ours');
    assert.equal(dig(index, '10.1.244.127.in-addr.arpa', 'PTR'), ';; not-ours');
    assert.equal(dig(index, '96.127.in-addr.arpa', 'PTR'), ';; not-ours');
  });

  it('answers NODATA for other types at a known reverse name', () => {
    assert.equal(
      dig(index, '20.0.96.127.in-addr.arpa', 'A'),
      zone`;; NOERROR\n;; AUTHORITY\nin-addr.arpa. 5 IN SOA ns.dns.cluster.local. hostmaster.cluster.local. ${FIXTURE_SERIAL} 7200 1800 86400 5`,
    );
  });
});

describe('resolve: readiness and other zones', () => {
  it('reports not-synced for cluster and reverse names before the first sync', () => {
    const index = indexOf(fixtureCluster(), { synced: false });
    assert.equal(dig(index, 'web.default.svc.cluster.local', 'A'), ';; not-synced');
    assert.equal(dig(index, 'nope.default.svc.cluster.local', 'A'), ';; not-synced');
    assert.equal(dig(index, '20.0.96.127.in-addr.arpa', 'PTR'), ';; not-synced');
  });

  it('leaves names outside the zone to the upstream resolvers', () => {
    const index = indexOf(fixtureCluster());
    assert.equal(dig(index, 'example.com', 'A'), ';; not-ours');
    assert.equal(dig(index, 'cluster.localhost', 'A'), ';; not-ours');
  });
});

describe('parseClusterName', () => {
  it('reads every documented shape', () => {
    assert.deepEqual(parseClusterName(''), { kind: 'apex' });
    assert.deepEqual(parseClusterName('web.default.svc'), { kind: 'service', namespace: 'default', service: 'web' });
    assert.deepEqual(parseClusterName('pet.web.default.svc'), { kind: 'endpoint', namespace: 'default', service: 'web', endpoint: 'pet' });
    assert.deepEqual(parseClusterName('_http._tcp.web.default.svc'), { kind: 'port', namespace: 'default', service: 'web', port: 'http', protocol: 'tcp' });
    assert.deepEqual(parseClusterName('_http._quic.web.default.svc'), { kind: 'none' });
    assert.deepEqual(parseClusterName('1-2-3-4.default.pod'), { kind: 'pod', namespace: 'default', ip: '1.2.3.4' });
    assert.deepEqual(parseClusterName('fd00--1.default.pod'), { kind: 'pod', namespace: 'default', ip: 'fd00::1' });
  });
});
