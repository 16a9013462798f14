// The cluster's CA, the API server's serving certificate and the bearer token, generated at
// first start and kept in the data dir (kubectl sends credentials only over HTTPS, and checks
// the certificate against the kubeconfig's CA with an IP SAN for 127.0.0.1).
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import forge from 'node-forge';

export interface ClusterCredentials {
  caCert: string;
  serverCert: string;
  serverKey: string;
  token: string;
}

export interface CredentialOptions {
  /** Extra IP SANs (e.g. the `kubernetes` Service ClusterIP). */
  ips?: string[];
  dnsNames?: string[];
}

function newKey(): { pem: string; key: forge.pki.rsa.PrivateKey; pub: forge.pki.rsa.PublicKey } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const key = forge.pki.privateKeyFromPem(pem) as forge.pki.rsa.PrivateKey;
  const pub = forge.pki.setRsaPublicKey(key.n, key.e);
  return { pem, key, pub };
}

function serial(): string {
  // Positive, 16 bytes.
  const b = randomBytes(16);
  b[0] = b[0]! & 0x7f;
  return b.toString('hex');
}

function validity(cert: forge.pki.Certificate, years: number): void {
  const now = new Date();
  cert.validity.notBefore = new Date(now.getTime() - 60 * 60 * 1000);
  cert.validity.notAfter = new Date(now.getTime() + years * 365 * 24 * 60 * 60 * 1000);
}

/** Loads the credentials from `dir`, creating any that are missing. */
export function ensureCredentials(dir: string, opts: CredentialOptions = {}): ClusterCredentials {
  const pki = join(dir, 'pki');
  mkdirSync(pki, { recursive: true, mode: 0o700 });
  const files = {
    caCert: join(pki, 'ca.crt'),
    caKey: join(pki, 'ca.key'),
    serverCert: join(pki, 'apiserver.crt'),
    serverKey: join(pki, 'apiserver.key'),
    token: join(pki, 'token'),
  };
  if (!existsSync(files.caCert) || !existsSync(files.caKey)) {
    const k = newKey();
    const ca = forge.pki.createCertificate();
    ca.publicKey = k.pub;
    ca.serialNumber = serial();
    validity(ca, 10);
    const subject = [{ name: 'commonName', value: 'kubeloop-ca' }];
    ca.setSubject(subject);
    ca.setIssuer(subject);
    ca.setExtensions([
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
      { name: 'subjectKeyIdentifier' },
    ]);
    ca.sign(k.key, forge.md.sha256.create());
    writeFileSync(files.caKey, k.pem, { mode: 0o600 });
    writeFileSync(files.caCert, forge.pki.certificateToPem(ca));
    // A new CA invalidates any old serving certificate.
    for (const f of [files.serverCert, files.serverKey]) if (existsSync(f)) writeFileSync(f, '');
  }
  const wantIps = ['127.0.0.1', ...(opts.ips ?? [])];
  const wantDns = ['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local', ...(opts.dnsNames ?? [])];
  if (!serverCertCovers(files.serverCert, wantIps, wantDns) || !existsSync(files.serverKey) || readFileSync(files.serverKey, 'utf8') === '') {
    const caKey = forge.pki.privateKeyFromPem(readFileSync(files.caKey, 'utf8'));
    const caCert = forge.pki.certificateFromPem(readFileSync(files.caCert, 'utf8'));
    const k = newKey();
    const cert = forge.pki.createCertificate();
    cert.publicKey = k.pub;
    cert.serialNumber = serial();
    validity(cert, 5);
    cert.setSubject([{ name: 'commonName', value: 'kube-apiserver' }]);
    cert.setIssuer(caCert.subject.attributes);
    cert.setExtensions([
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [...wantDns.map((value) => ({ type: 2, value })), ...wantIps.map((ip) => ({ type: 7, ip }))],
      },
    ]);
    cert.sign(caKey, forge.md.sha256.create());
    writeFileSync(files.serverKey, k.pem, { mode: 0o600 });
    writeFileSync(files.serverCert, forge.pki.certificateToPem(cert));
  }
  if (!existsSync(files.token)) writeFileSync(files.token, randomBytes(32).toString('hex'), { mode: 0o600 });
  return {
    caCert: readFileSync(files.caCert, 'utf8'),
    serverCert: readFileSync(files.serverCert, 'utf8'),
    serverKey: readFileSync(files.serverKey, 'utf8'),
    token: readFileSync(files.token, 'utf8').trim(),
  };
}

function serverCertCovers(path: string, ips: string[], dns: string[]): boolean {
  if (!existsSync(path)) return false;
  const pem = readFileSync(path, 'utf8');
  if (!pem) return false;
  try {
    const cert = forge.pki.certificateFromPem(pem);
    const ext = cert.getExtension('subjectAltName') as { altNames?: { type: number; ip?: string; value?: string }[] } | undefined;
    const names = ext?.altNames ?? [];
    const haveIps = new Set(names.filter((n) => n.type === 7).map((n) => n.ip));
    const haveDns = new Set(names.filter((n) => n.type === 2).map((n) => n.value));
    return ips.every((i) => haveIps.has(i)) && dns.every((d) => haveDns.has(d)) && cert.validity.notAfter.getTime() > Date.now() + 24 * 3600 * 1000;
  } catch {
    return false;
  }
}
