// Worker thread of bench/dns: a bounded UDP load generator. Keeps `concurrency` queries in flight
// on one connected socket, stops after `count` queries or `timeLimitMs`, and counts a query lost
// after `timeoutMs` without an answer. Reports per-query latencies to the parent.
import { createSocket } from 'node:dgram';
import { parentPort, workerData } from 'node:worker_threads';
import dnsPacket from 'dns-packet';

export interface LoadgenInput {
  host: string;
  port: number;
  names: string[];
  type: string;
  concurrency: number;
  count: number;
  timeLimitMs: number;
  timeoutMs: number;
}

export interface LoadgenResult {
  sent: number;
  answered: number;
  lost: number;
  /** Answers with an RCODE other than NOERROR, or without answer records. */
  errors: number;
  elapsedMs: number;
  /** Milliseconds, one per answered query. */
  latencies: Float64Array;
}

function run(input: LoadgenInput): Promise<LoadgenResult> {
  if (!input.host.startsWith('127.')) throw new Error(`Cannot load ${input.host}: bench traffic stays on 127.0.0.0/8`);
  const concurrency = Math.min(input.concurrency, 65_536);
  // One pre-encoded query per name; the id is patched per send.
  const templates = input.names.map((name) => dnsPacket.encode({ type: 'query', id: 0, flags: dnsPacket.RECURSION_DESIRED, questions: [{ name, type: input.type as dnsPacket.RecordType }] }));
  const sentAt = new Float64Array(65_536).fill(-1);
  const latencies = new Float64Array(input.count);
  const freeIds: number[] = [];
  for (let i = 0; i < concurrency; i++) freeIds.push(i);
  let sent = 0;
  let answered = 0;
  let lost = 0;
  let errors = 0;
  let inFlight = 0;
  const sock = createSocket('udp4');
  const start = performance.now();
  const deadline = start + input.timeLimitMs;

  return new Promise((resolve, reject) => {
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      clearInterval(sweeper);
      sock.close();
      resolve({ sent, answered, lost, errors, elapsedMs: performance.now() - start, latencies: latencies.slice(0, answered) });
    };
    const sendNext = () => {
      while (inFlight < concurrency && sent < input.count && performance.now() < deadline) {
        const id = freeIds.pop();
        if (id === undefined) return;
        const msg = templates[sent % templates.length]!;
        msg.writeUInt16BE(id, 0);
        sentAt[id] = performance.now();
        sent++;
        inFlight++;
        sock.send(msg);
      }
      if (inFlight === 0) finish();
    };
    sock.on('error', (e) => {
      clearInterval(sweeper);
      reject(e);
    });
    sock.on('message', (m) => {
      if (m.length < 12) return;
      const id = m.readUInt16BE(0);
      const t0 = sentAt[id]!;
      if (t0 < 0) return; // late answer to a query already counted as lost
      sentAt[id] = -1;
      latencies[answered++] = performance.now() - t0;
      if ((m.readUInt16BE(2) & 0xf) !== 0 || m.readUInt16BE(6) === 0) errors++;
      inFlight--;
      freeIds.push(id);
      sendNext();
    });
    // Bounded waiting: a query unanswered after timeoutMs is lost and its slot reused.
    const sweeper = setInterval(() => {
      const now = performance.now();
      for (let id = 0; id < concurrency; id++) {
        const t0 = sentAt[id]!;
        if (t0 >= 0 && now - t0 > input.timeoutMs) {
          sentAt[id] = -1;
          lost++;
          inFlight--;
          freeIds.push(id);
        }
      }
      sendNext();
    }, 50);
    sock.connect(input.port, input.host, sendNext);
  });
}

if (parentPort) {
  const port = parentPort;
  run(workerData as LoadgenInput).then(
    (r) => port.postMessage(r, [r.latencies.buffer as ArrayBuffer]),
    (e: unknown) => port.postMessage({ error: e instanceof Error ? e.message : String(e) }),
  );
}
