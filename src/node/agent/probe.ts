// Probes as the kubelet's prober: httpGet, tcpSocket and exec handlers (pkg/probe/{http,tcp,exec})
// and one worker per probe of a container instance (pkg/kubelet/prober/worker.go) that runs it
// every periodSeconds after initialDelaySeconds, applies successThreshold/failureThreshold, and
// reports each change of the thresholded result.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import type { Container, IntOrString, Probe, ProbeHandler } from '../../api/index.js';
import type { Clock } from '../../client/index.js';

export type ProbeKind = 'liveness' | 'readiness' | 'startup';
export type ProbeOutcome = 'success' | 'failure';

export interface ProbeResult {
  outcome: ProbeOutcome;
  /** What failed, in the kubelet's words (the Unhealthy event text after "<Kind> probe failed: "). */
  message: string;
  /** The probe could not be run at all (the event says "errored"). */
  errored?: boolean;
}

/** Runs a command in the container; rejects if it cannot start. */
export type ExecInContainer = (argv: readonly string[], timeoutMs: number) => Promise<{ exitCode: number; output: string; timedOut: boolean }>;

export interface ProbeTarget {
  podIP: string;
  container: Pick<Container, 'name' | 'ports'>;
  exec: ExecInContainer;
}

/** A port given by number or by the name of one of the container's ports. */
export function resolvePort(port: IntOrString, container: Pick<Container, 'name' | 'ports'>): number {
  if (typeof port === 'number') return port;
  if (/^\d+$/.test(port)) return Number(port);
  const p = (container.ports ?? []).find((x) => x.name === port);
  if (!p) throw new Error(`couldn't find port: ${port} in container ${container.name}`);
  return p.containerPort;
}

const USER_AGENT = 'kube-probe/1.32';
const MAX_BODY = 10 * 1024;

function dialError(host: string, port: number, e: NodeJS.ErrnoException): string {
  const what = e.code === 'ECONNREFUSED' ? 'connect: connection refused' : e.code === 'EHOSTUNREACH' ? 'connect: no route to host' : e.message;
  return `dial tcp ${host}:${port}: ${what}`;
}

/** One httpGet probe: 2xx/3xx is success (pkg/probe/http). */
export function httpProbe(h: NonNullable<ProbeHandler['httpGet']>, t: ProbeTarget, timeoutMs: number): Promise<ProbeResult> {
  let port: number;
  try {
    port = resolvePort(h.port, t.container);
  } catch (e) {
    return Promise.resolve({ outcome: 'failure', message: (e as Error).message, errored: true });
  }
  const host = h.host || t.podIP;
  const scheme = h.scheme === 'HTTPS' ? 'https' : 'http';
  const path = h.path ? (h.path.startsWith('/') ? h.path : `/${h.path}`) : '/';
  const url = `${scheme}://${host}:${port}${path}`;
  const headers: Record<string, string> = { 'User-Agent': USER_AGENT, Accept: '*/*' };
  for (const x of h.httpHeaders ?? []) headers[x.name] = x.value;
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: ProbeResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const fn = scheme === 'https' ? httpsRequest : httpRequest;
    const req = fn({ host, port, path, method: 'GET', headers, agent: false, ...(scheme === 'https' ? { rejectUnauthorized: false } : {}) }, (res) => {
      let size = 0;
      res.on('data', (d: Buffer) => {
        size += d.length;
        if (size > MAX_BODY) res.destroy();
      });
      const code = res.statusCode ?? 0;
      const finish = (): void => {
        if (code >= 200 && code < 400) done({ outcome: 'success', message: '' });
        else done({ outcome: 'failure', message: `HTTP probe failed with statuscode: ${code}` });
      };
      res.on('end', finish);
      res.on('close', finish);
      res.on('error', finish);
    });
    const timer = setTimeout(() => {
      req.destroy();
      done({ outcome: 'failure', message: `Get "${url}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)` });
    }, timeoutMs);
    req.on('error', (e: NodeJS.ErrnoException) => done({ outcome: 'failure', message: `Get "${url}": ${dialError(host, port, e)}` }));
    req.end();
  });
}

/** One tcpSocket probe: success when a connection opens. */
export function tcpProbe(h: NonNullable<ProbeHandler['tcpSocket']>, t: ProbeTarget, timeoutMs: number): Promise<ProbeResult> {
  let port: number;
  try {
    port = resolvePort(h.port, t.container);
  } catch (e) {
    return Promise.resolve({ outcome: 'failure', message: (e as Error).message, errored: true });
  }
  const host = h.host || t.podIP;
  return new Promise((resolve) => {
    const sock = connect({ host, port });
    const timer = setTimeout(() => {
      sock.destroy();
      resolve({ outcome: 'failure', message: `dial tcp ${host}:${port}: i/o timeout` });
    }, timeoutMs);
    sock.once('connect', () => {
      clearTimeout(timer);
      sock.destroy();
      resolve({ outcome: 'success', message: '' });
    });
    sock.once('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve({ outcome: 'failure', message: dialError(host, port, e) });
    });
  });
}

/** One exec probe: exit status 0 is success; the output is the failure message. */
export async function execProbe(h: NonNullable<ProbeHandler['exec']>, t: ProbeTarget, timeoutMs: number): Promise<ProbeResult> {
  const argv = h.command ?? [];
  try {
    const r = await t.exec(argv, timeoutMs);
    if (r.timedOut) return { outcome: 'failure', message: `command ${JSON.stringify(argv.join(' '))} timed out` };
    if (r.exitCode === 0) return { outcome: 'success', message: '' };
    return { outcome: 'failure', message: r.output.trimEnd() || `command ${JSON.stringify(argv.join(' '))} exited with ${r.exitCode}` };
  } catch (e) {
    return { outcome: 'failure', message: e instanceof Error ? e.message : String(e), errored: true };
  }
}

/** Runs a probe's (or lifecycle hook's) handler once. */
export function runHandler(h: ProbeHandler, t: ProbeTarget, timeoutMs: number): Promise<ProbeResult> {
  if (h.exec) return execProbe(h.exec, t, timeoutMs);
  if (h.httpGet) return httpProbe(h.httpGet, t, timeoutMs);
  if (h.tcpSocket) return tcpProbe(h.tcpSocket, t, timeoutMs);
  if (h.grpc) return Promise.resolve({ outcome: 'failure', message: 'grpc probes are not supported by kubeloop', errored: true });
  return Promise.resolve({ outcome: 'failure', message: 'missing probe handler', errored: true });
}

/**
 * The thresholds of a probe: the reported result changes only after `successThreshold`
 * successes or `failureThreshold` failures in a row. Readiness starts as failure, liveness as
 * success, startup as unknown (the container is not started until it passes).
 */
export class ProbeState {
  /** `unknown` only for a startup probe that has not passed or failed yet. */
  result: ProbeOutcome | 'unknown';
  private last: ProbeOutcome | undefined;
  private run = 0;

  constructor(
    readonly kind: ProbeKind,
    private readonly successThreshold: number,
    private readonly failureThreshold: number,
  ) {
    this.result = kind === 'readiness' ? 'failure' : kind === 'liveness' ? 'success' : 'unknown';
  }

  /** Records one outcome; returns true when the reported result changed. */
  record(outcome: ProbeOutcome): boolean {
    if (this.last === outcome) this.run++;
    else {
      this.last = outcome;
      this.run = 1;
    }
    if ((outcome === 'failure' && this.run < this.failureThreshold) || (outcome === 'success' && this.run < this.successThreshold)) return false;
    const changed = this.result !== outcome;
    this.result = outcome;
    if (outcome === 'failure' && this.kind !== 'readiness') this.run = 0;
    return changed;
  }
}

export interface ProbeWorkerOptions {
  kind: ProbeKind;
  probe: Probe;
  target: ProbeTarget;
  /** When the container instance started (ms, on `clock`). */
  startedAt: number;
  clock: Clock;
  /** Liveness and readiness wait for this (the startup probe passed, or there is none). */
  started: () => boolean;
  /** The reported result changed. */
  onChange: (kind: ProbeKind, result: ProbeOutcome) => void;
  /** One attempt failed: the kubelet records an Unhealthy event for each. */
  onFailure: (kind: ProbeKind, result: ProbeResult) => void;
}

/**
 * Probes one container instance until stopped. Liveness and startup stop on their failure (the
 * container is restarted with new workers); startup stops on success.
 */
export class ProbeWorker {
  readonly state: ProbeState;
  private timer: { cancel(): void } | undefined;
  private stopped = false;

  constructor(private readonly o: ProbeWorkerOptions) {
    this.state = new ProbeState(o.kind, o.probe.successThreshold ?? 1, o.probe.failureThreshold ?? 3);
  }

  get result(): ProbeOutcome | 'unknown' {
    return this.state.result;
  }

  start(): void {
    const delay = Math.max(0, (this.o.probe.initialDelaySeconds ?? 0) * 1000 - (this.o.clock.now() - this.o.startedAt));
    this.schedule(delay);
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = undefined;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = this.o.clock.setTimeout(() => void this.tick(), ms);
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    const begin = this.o.clock.now();
    const periodMs = Math.max(1, this.o.probe.periodSeconds ?? 10) * 1000;
    if (this.o.kind !== 'startup' && !this.o.started()) {
      this.schedule(periodMs);
      return;
    }
    const timeoutMs = Math.max(1, this.o.probe.timeoutSeconds ?? 1) * 1000;
    const r = await runHandler(this.o.probe, this.o.target, timeoutMs);
    if (this.stopped) return;
    if (r.outcome === 'failure') this.o.onFailure(this.o.kind, r);
    const changed = this.state.record(r.outcome);
    if (changed) this.o.onChange(this.o.kind, r.outcome);
    if (this.o.kind === 'startup' && this.state.result === 'success') return this.stop();
    if (this.o.kind !== 'readiness' && changed && this.state.result === 'failure') return this.stop();
    this.schedule(Math.max(0, periodMs - (this.o.clock.now() - begin)));
  }
}
