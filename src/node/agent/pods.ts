// The pod worker: `reconcile(uid)` compares a pod's spec with what runs for it and takes the
// next steps — sandbox (IP, hosts, resolv.conf), init containers in order, containers, restarts
// under back-off, liveness kills, graceful termination — without waiting for anything slow
// (stops run in the background and re-queue the pod when done). At the end of every pass it
// hands the status, computed from what runs, to the status manager.
import { mkdir, readFile } from 'node:fs/promises';
import {
  type ConfigMap,
  type Container,
  type ContainerStateTerminated,
  type ContainerStatus,
  type LifecycleHandler,
  type Pod,
  type PodStatus,
  type Secret,
  type Service,
  type Stored,
  isNotFound,
} from '../../api/index.js';
import type { Client, Clock, EventRecorder } from '../../client/index.js';
import { podHostnameAndDomain, podDnsConfig, formatResolvConf, podHostsFile } from '../../dns/index.js';
import { ContainerConfigError, ImagePullError, containerArgv, resolveImage, type ImageConfig } from '../images/index.js';
import {
  RuntimeError,
  containerLogPath,
  createPodSandbox,
  execInContainer,
  podBindEnv,
  startContainer,
  type Clock as RuntimeClock,
  type ContainerExit,
  type ContainerHandle,
  type PodSandbox,
  type RuntimeInfo,
} from '../runtime/index.js';
import { Backoff, type BackoffOptions } from './backoff.js';
import { EnvError, containerEnvironment, expandCommand, referencedSources } from './env.js';
import { PodPaths, containerWorkingDir, podPaths, removeDir, writeInPlace } from './_files.js';
import { CONTAINER_ID_PREFIX, containerInstanceID, goDuration, imageID, statusImage } from './_ids.js';
import { IPAllocationError, type PodIPAllocator } from './ipam.js';
import { ProbeWorker, runHandler, type ExecInContainer, type ProbeKind, type ProbeTarget } from './probe.js';
import { podStatusDraft, shouldRestart, type ContainerView } from './status.js';
import type { StatusManager } from './status_manager.js';

type Log = (line: Record<string, unknown>) => void;

const rfc3339 = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const EPOCH = '1970-01-01T00:00:00Z';
/** The kubelet never gives a container less than this to stop (minimumGracePeriodInSeconds). */
const MIN_GRACE_SECONDS = 2;
/** How long a failed container configuration (env, command) waits before the next try. */
const CONFIG_RETRY_MS = 10_000;
const MAX_PROBE_OUTPUT = 10 * 1024;

/** One run of a container. */
export interface Instance {
  id: string;
  restartCount: number;
  /** Which sandbox of the pod ran it; 0 for instances known only from a previous kubeloop's status. */
  sandboxGen: number;
  startedAt: number;
  image: string;
  imageID: string;
  handle: ContainerHandle | undefined;
  exit: ContainerStateTerminated | undefined;
  /** When it ended, in ms (the status keeps only seconds; back-off needs better). */
  finishedAtMs: number | undefined;
  probes: Partial<Record<ProbeKind, ProbeWorker>>;
  /** The startup probe passed (or there is none). */
  started: boolean;
  /** A liveness or startup probe failed: the instance is to be killed and restarted. */
  unhealthy: 'liveness' | 'startup' | undefined;
  stopping: Promise<void> | undefined;
}

/** One container of a pod, across its instances. */
export interface ContainerRecord {
  name: string;
  init: boolean;
  current: Instance | undefined;
  lastTerminated: ContainerStateTerminated | undefined;
  /** Why it does not run now (shown as the waiting state), cleared when it starts. */
  waiting: { reason: string; message?: string } | undefined;
  /** finishedAt of the exit whose BackOff event was recorded. */
  backoffEventFor: string | undefined;
  /** When the image could not be resolved last (ms), for ImagePullBackOff. */
  pullFailedAt: number | undefined;
  pullError: string | undefined;
}

/** What runs for one pod. */
export interface PodRuntime {
  uid: string;
  namespace: string;
  name: string;
  startTime: string;
  paths: PodPaths;
  podIP: string | undefined;
  sandbox: PodSandbox | undefined;
  sandboxGen: number;
  containers: Map<string, ContainerRecord>;
  /** Set once the pod ended here for good; it never runs again. */
  terminal: boolean;
  /** The node failed the pod (activeDeadlineSeconds). */
  failure: { reason: string; message: string } | undefined;
  /** Every container is being stopped (deletion, deadline, removal). */
  killing: Promise<void> | undefined;
  killDone: boolean;
  /** Removed from the API while running: its containers were told to stop within 2 s. */
  forced: boolean;
  /** This agent created a sandbox for it (so its status is ours to write). */
  ranHere: boolean;
}

export interface PodSyncerOptions {
  client: Client;
  nodeName: string;
  nodeIP: string;
  dataDir: string;
  clusterDNS: readonly string[];
  clusterDomain: string;
  hostResolvConf: string | undefined;
  runtime: RuntimeInfo;
  ipam: PodIPAllocator;
  imageCatalogPath: string;
  imageCacheDir: string;
  services: () => readonly Service[];
  status: StatusManager;
  events: EventRecorder;
  clock: Clock;
  log: Log;
  crashLoopBackOff?: BackoffOptions;
  imagePullBackOff?: BackoffOptions;
  /** Asks for another reconcile of the pod (now, or after `ms`). */
  enqueue: (uid: string, afterMs?: number) => void;
}

export interface ReconcileResult {
  requeueAfterMs?: number;
}

const isTerminalPhase = (p: string | undefined) => p === 'Succeeded' || p === 'Failed';

function terminated(inst: Instance, exit: ContainerExit): ContainerStateTerminated {
  const t: ContainerStateTerminated = {
    exitCode: exit.exitCode,
    reason: exit.reason,
    startedAt: rfc3339(inst.startedAt),
    finishedAt: rfc3339(exit.finishedAt.getTime()),
    containerID: CONTAINER_ID_PREFIX + inst.id,
  };
  if (exit.message) t.message = exit.message;
  return t;
}

/** Program paths of each running container's image (`/agnhost` → the built-in program). */
const execPaths = new WeakMap<ContainerHandle, Record<string, string[]>>();

/**
 * The argv to run for an exec, probe or hook in a container: a first word the image maps (as a
 * container `command` would be mapped) is replaced by the program it stands for.
 */
export function execArgv(handle: ContainerHandle, argv: readonly string[]): string[] {
  const mapped = argv[0] !== undefined ? execPaths.get(handle)?.[argv[0]] : undefined;
  return mapped ? [...mapped, ...argv.slice(1)] : [...argv];
}

export class PodSyncer {
  readonly runtimes = new Map<string, PodRuntime>();
  private readonly crashBackoff: Backoff;
  private readonly pullBackoff: Backoff;
  private readonly rtClock: RuntimeClock;
  private closed = false;

  constructor(private readonly o: PodSyncerOptions) {
    const now = () => o.clock.now();
    this.crashBackoff = new Backoff(now, o.crashLoopBackOff);
    this.pullBackoff = new Backoff(now, o.imagePullBackOff);
    this.rtClock = {
      now: () => new Date(o.clock.now()),
      setTimeout: (fn, ms) => o.clock.setTimeout(fn, ms),
      clearTimeout: (h) => (h as { cancel(): void }).cancel(),
    };
  }

  // ------------------------------------------------------------------ reconcile

  async reconcile(pod: Stored<Pod> | undefined, uid: string): Promise<ReconcileResult | void> {
    if (this.closed) return;
    let rt = this.runtimes.get(uid);
    if (!pod) {
      // Removed from the API (after our own final delete, or forcibly): stop what runs, forget.
      if (!rt) return;
      if (this.anyRunning(rt)) {
        // Whatever stop is under way, it now has the minimum grace period at most (exits re-queue).
        if (!rt.forced) {
          rt.forced = true;
          for (const rec of rt.containers.values()) {
            const inst = rec.current;
            if (!inst?.handle || inst.exit) continue;
            this.stopProbes(inst);
            void inst.handle.stop({ gracePeriodMs: MIN_GRACE_SECONDS * 1000 });
          }
        }
        return;
      }
      await this.teardown(rt);
      await removeDir(rt.paths.dir);
      this.crashBackoff.resetPrefix(`${uid}/`);
      this.pullBackoff.resetPrefix(`${uid}/`);
      this.runtimes.delete(uid);
      this.o.status.forget(uid);
      return;
    }
    if (!rt) {
      rt = this.createRuntime(pod);
      this.runtimes.set(uid, rt);
    }

    if (pod.metadata.deletionTimestamp) {
      const grace = pod.metadata.deletionGracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30;
      if (this.anyRunning(rt) || rt.killing) {
        this.killPod(rt, pod, { graceSeconds: grace, hooks: true });
        if (!rt.killDone) {
          this.publish(rt, pod, false);
          return;
        }
      }
      await this.teardown(rt);
      this.publish(rt, pod, true, { deleteWhenStored: true });
      return;
    }

    if (rt.terminal || (isTerminalPhase(pod.status?.phase) && !this.anyRunning(rt))) {
      rt.terminal = true;
      await this.teardown(rt);
      // A pod that ended before this agent started keeps the status it has.
      if (rt.ranHere) this.publish(rt, pod, true);
      return;
    }

    // activeDeadlineSeconds: the node fails the pod and stops it.
    const deadline = pod.spec.activeDeadlineSeconds;
    if (deadline !== undefined && !rt.failure) {
      const left = Date.parse(rt.startTime) + deadline * 1000 - this.o.clock.now();
      if (left <= 0) {
        rt.failure = { reason: 'DeadlineExceeded', message: 'Pod was active on the node longer than the specified deadline' };
        this.event(pod, 'Warning', 'DeadlineExceeded', rt.failure.message);
      }
    }
    if (rt.failure) {
      this.killPod(rt, pod, { graceSeconds: pod.spec.terminationGracePeriodSeconds ?? 30, hooks: true });
      if (rt.killDone) {
        rt.terminal = true;
        await this.teardown(rt);
      }
      this.publish(rt, pod, rt.killDone);
      return;
    }

    let requeue = Number.POSITIVE_INFINITY;
    if (deadline !== undefined) requeue = Math.max(0, Date.parse(rt.startTime) + deadline * 1000 - this.o.clock.now());

    if (!rt.sandbox || !rt.sandbox.alive) {
      if (rt.sandbox) {
        this.o.log({ level: 'warn', msg: 'pod sandbox died; recreating it', pod: `${rt.namespace}/${rt.name}` });
        await this.teardown(rt);
      }
      try {
        await this.createSandbox(rt, pod);
      } catch (e) {
        this.publish(rt, pod, false);
        throw e;
      }
      if (this.closed) return;
    }

    const policy = pod.spec.restartPolicy ?? 'Always';
    let initialized = true;
    for (const c of pod.spec.initContainers ?? []) {
      const rec = this.record(rt, c, true);
      const inst = rec.current;
      const thisSandbox = inst !== undefined && inst.sandboxGen === rt.sandboxGen;
      if (thisSandbox && !inst.exit) {
        initialized = false;
        break;
      }
      if (thisSandbox && inst.exit?.exitCode === 0) continue;
      initialized = false;
      if (thisSandbox && inst.exit && policy === 'Never') break;
      requeue = Math.min(requeue, await this.ensureStarted(rt, pod, c, rec, thisSandbox));
      break;
    }

    if (initialized) {
      for (const c of pod.spec.containers) {
        if (this.closed) return;
        const rec = this.record(rt, c, false);
        const inst = rec.current;
        if (inst && !inst.exit) {
          if (inst.unhealthy && !inst.stopping) {
            const what = inst.unhealthy;
            const probe = what === 'liveness' ? c.livenessProbe : c.startupProbe;
            this.stopInstance(rt, pod, c, inst, {
              graceSeconds: probe?.terminationGracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30,
              hooks: true,
              message: `Container ${c.name} failed ${what} probe, will be restarted`,
            });
          }
          continue;
        }
        if (!inst) {
          requeue = Math.min(requeue, await this.ensureStarted(rt, pod, c, rec, false));
        } else if (inst.exit && shouldRestart(policy, inst.exit.exitCode)) {
          requeue = Math.min(requeue, await this.ensureStarted(rt, pod, c, rec, true));
        } else {
          rec.waiting = undefined;
        }
      }
    }
    if (this.closed) return;

    let status = this.statusOf(rt, pod, false);
    if (isTerminalPhase(status.phase) && !this.anyRunning(rt)) {
      // Done for good: tear down first, so the status written says the sandbox is gone.
      rt.terminal = true;
      await this.teardown(rt);
      status = this.statusOf(rt, pod, true);
    }
    this.o.status.set(pod, status);
    return Number.isFinite(requeue) ? { requeueAfterMs: requeue } : undefined;
  }

  // ------------------------------------------------------------------ state

  private createRuntime(pod: Stored<Pod>): PodRuntime {
    const uid = pod.metadata.uid;
    const rt: PodRuntime = {
      uid,
      namespace: pod.metadata.namespace ?? 'default',
      name: pod.metadata.name,
      startTime: pod.status?.startTime ?? rfc3339(this.o.clock.now()),
      paths: podPaths(this.o.dataDir, this.o.nodeName, uid),
      podIP: pod.status?.podIP,
      sandbox: undefined,
      sandboxGen: 0,
      containers: new Map(),
      terminal: false,
      failure: undefined,
      killing: undefined,
      killDone: false,
      forced: false,
      ranHere: false,
    };
    // A pod this node ran before kubeloop restarted: its processes are gone. What the status
    // says ran becomes an ended instance, so restart counts continue and policies apply.
    const now = rfc3339(this.o.clock.now());
    const restore = (c: Container, init: boolean, statuses: readonly ContainerStatus[] | undefined): void => {
      const cs = (statuses ?? []).find((s) => s.name === c.name);
      if (!cs) return;
      const rec = this.record(rt, c, init);
      const fromTerminated = (t: ContainerStateTerminated): Instance => ({
        id: (t.containerID ?? cs.containerID ?? '').replace(CONTAINER_ID_PREFIX, ''),
        restartCount: cs.restartCount,
        sandboxGen: 0,
        startedAt: Date.parse(t.startedAt ?? EPOCH) || 0,
        image: cs.image,
        imageID: cs.imageID,
        handle: undefined,
        exit: t,
        finishedAtMs: Date.parse(t.finishedAt ?? '') || this.o.clock.now(),
        probes: {},
        started: false,
        unhealthy: undefined,
        stopping: undefined,
      });
      const running = cs.state?.running;
      if (running) {
        const containerID = cs.containerID ?? '';
        rec.current = fromTerminated({
          exitCode: 255,
          reason: 'Unknown',
          message: 'The container was running when kubeloop stopped; its processes ended with it.',
          startedAt: running.startedAt ?? EPOCH,
          finishedAt: now,
          containerID,
        });
        rec.lastTerminated = cs.lastState?.terminated;
      } else if (cs.state?.terminated) {
        rec.current = fromTerminated({ ...cs.state.terminated });
        rec.lastTerminated = cs.lastState?.terminated;
      } else if (cs.lastState?.terminated) {
        rec.current = fromTerminated({ ...cs.lastState.terminated });
      }
    };
    for (const c of pod.spec.initContainers ?? []) restore(c, true, pod.status?.initContainerStatuses);
    for (const c of pod.spec.containers) restore(c, false, pod.status?.containerStatuses);
    return rt;
  }

  private record(rt: PodRuntime, c: Container, init: boolean): ContainerRecord {
    let rec = rt.containers.get(c.name);
    if (!rec) {
      rec = { name: c.name, init, current: undefined, lastTerminated: undefined, waiting: undefined, backoffEventFor: undefined, pullFailedAt: undefined, pullError: undefined };
      rt.containers.set(c.name, rec);
    }
    return rec;
  }

  private anyRunning(rt: PodRuntime): boolean {
    for (const rec of rt.containers.values()) if (rec.current?.handle && !rec.current.exit) return true;
    return false;
  }

  // ------------------------------------------------------------------ sandbox

  private async createSandbox(rt: PodRuntime, pod: Stored<Pod>): Promise<void> {
    const o = this.o;
    let podIP: string;
    if (pod.spec.hostNetwork) {
      podIP = o.nodeIP;
    } else {
      try {
        podIP = o.ipam.allocate(rt.uid, rt.podIP);
      } catch (e) {
        if (e instanceof IPAllocationError) this.event(pod, 'Warning', 'FailedCreatePodSandBox', `Failed to create pod sandbox: ${e.message}`);
        throw e;
      }
    }
    rt.podIP = podIP;
    const fail = (msg: string): Error => {
      this.event(pod, 'Warning', 'FailedCreatePodSandBox', `Failed to create pod sandbox: ${msg}`);
      return new Error(`Cannot create sandbox for pod ${rt.namespace}/${rt.name}: ${msg}`);
    };
    let hostname: string;
    let hosts: string;
    try {
      hostname = podHostnameAndDomain(pod, o.clusterDomain).hostname;
      const nodeHosts = pod.spec.hostNetwork ? await readFile('/etc/hosts', 'utf8').catch(() => '') : undefined;
      hosts = podHostsFile(pod, { podIP, clusterDomain: o.clusterDomain, ...(nodeHosts !== undefined ? { nodeHostsFile: nodeHosts } : {}) });
    } catch (e) {
      throw fail(e instanceof Error ? e.message : String(e));
    }
    const dns = podDnsConfig(pod, { clusterDomain: o.clusterDomain, nameserver: o.clusterDNS, hostResolvConf: o.hostResolvConf });
    for (const w of dns.warnings) this.event(pod, 'Warning', 'DNSConfigForming', w);
    await mkdir(rt.paths.dir, { recursive: true });
    await writeInPlace(rt.paths.hosts, hosts);
    await writeInPlace(rt.paths.resolvConf, formatResolvConf(dns));
    await writeInPlace(rt.paths.hostname, `${hostname}\n`);
    let sandbox: PodSandbox;
    try {
      sandbox = await createPodSandbox(rt.name, {
        podDir: rt.paths.dir,
        hostname,
        hostsPath: rt.paths.hosts,
        resolvConfPath: rt.paths.resolvConf,
        hostnamePath: rt.paths.hostname,
        runtime: o.runtime,
      });
    } catch (e) {
      throw fail(e instanceof Error ? e.message : String(e));
    }
    if (this.closed) {
      await sandbox.destroy();
      return;
    }
    rt.sandbox = sandbox;
    rt.sandboxGen++;
    rt.ranHere = true;
  }

  /** Stops probes, kills whatever still runs, removes the sandbox and frees the IP. */
  private async teardown(rt: PodRuntime): Promise<void> {
    for (const rec of rt.containers.values()) if (rec.current) this.stopProbes(rec.current);
    const sb = rt.sandbox;
    rt.sandbox = undefined;
    if (sb) await sb.destroy();
    this.o.ipam.release(rt.uid);
  }

  // ------------------------------------------------------------------ containers

  /**
   * Starts the container unless a back-off holds it; returns how long until the pod should be
   * looked at again for it (Infinity when nothing is pending).
   */
  private async ensureStarted(rt: PodRuntime, pod: Stored<Pod>, c: Container, rec: ContainerRecord, afterFailure: boolean): Promise<number> {
    const key = `${rt.uid}/${rec.init ? 'init/' : ''}${c.name}`;
    const inst = rec.current;
    if (afterFailure && inst?.exit) {
      const finishedAt = inst.finishedAtMs ?? this.o.clock.now();
      if (this.crashBackoff.isInBackOffSince(key, finishedAt)) {
        const podDesc = `${rt.name}_${rt.namespace}(${rt.uid})`;
        rec.waiting = {
          reason: 'CrashLoopBackOff',
          message: `back-off ${goDuration(this.crashBackoff.get(key))} restarting failed container=${c.name} pod=${podDesc}`,
        };
        if (rec.backoffEventFor !== inst.exit.finishedAt) {
          rec.backoffEventFor = inst.exit.finishedAt;
          this.event(pod, 'Warning', 'BackOff', `Back-off restarting failed container ${c.name} in pod ${podDesc}`);
        }
        return Math.max(1, this.crashBackoff.remaining(key, finishedAt));
      }
      this.crashBackoff.next(key, finishedAt);
    }
    return this.start(rt, pod, c, rec, key);
  }

  private async start(rt: PodRuntime, pod: Stored<Pod>, c: Container, rec: ContainerRecord, key: string): Promise<number> {
    const o = this.o;
    const sandbox = rt.sandbox;
    if (!sandbox) return Number.POSITIVE_INFINITY;
    const image = c.image ?? '';

    // Image: the catalog stands in for a registry; failures back off like pulls.
    if (rec.pullFailedAt !== undefined && this.pullBackoff.isInBackOffSince(key, rec.pullFailedAt)) {
      if (rec.waiting?.reason !== 'ImagePullBackOff') {
        this.event(pod, 'Normal', 'BackOff', `Back-off pulling image "${image}"`);
        this.event(pod, 'Warning', 'Failed', 'Error: ImagePullBackOff');
      }
      rec.waiting = { reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}": ErrImagePull: ${rec.pullError ?? ''}` };
      return Math.max(1, this.pullBackoff.remaining(key, rec.pullFailedAt));
    }
    let config: ImageConfig;
    try {
      config = resolveImage(image, { userCatalogPath: o.imageCatalogPath, cacheDir: o.imageCacheDir });
    } catch (e) {
      if (!(e instanceof ImagePullError)) throw e;
      const now = o.clock.now();
      this.pullBackoff.next(key, now);
      rec.pullFailedAt = now;
      rec.pullError = e.message;
      rec.waiting = { reason: 'ErrImagePull', message: e.message };
      this.event(pod, 'Warning', 'Failed', e.message);
      this.event(pod, 'Warning', 'Failed', 'Error: ErrImagePull');
      // Look again soon, so that the wait shows as ImagePullBackOff (as the kubelet's next sync does).
      return Math.max(1, Math.min(1000, this.pullBackoff.remaining(key, now)));
    }
    if (rec.pullFailedAt !== undefined) {
      rec.pullFailedAt = undefined;
      rec.pullError = undefined;
      this.pullBackoff.reset(key);
    }
    this.event(pod, 'Normal', 'Pulled', `Container image "${image}" already present on machine`);

    // Environment and command.
    const podIP = rt.podIP ?? '';
    let env: Record<string, string>;
    let argv: string[];
    try {
      const sources = await this.fetchSources(rt.namespace, c);
      const built = containerEnvironment(pod, c, { services: o.services(), sources, podIP, hostIP: o.nodeIP });
      for (const w of built.warnings) this.event(pod, 'Warning', 'InvalidEnvironmentVariableNames', w);
      env = built.env;
      argv = containerArgv(config, expandCommand(c, env));
    } catch (e) {
      if (e instanceof EnvError || e instanceof ContainerConfigError) {
        rec.waiting = { reason: e.reason, message: e.message };
        this.event(pod, 'Warning', 'Failed', `Error: ${e.message}`);
        return CONFIG_RETRY_MS;
      }
      throw e;
    }
    if (this.closed) return Number.POSITIVE_INFINITY;

    const restartCount = rec.current ? rec.current.restartCount + 1 : 0;
    const inst: Instance = {
      id: containerInstanceID(rt.uid, c.name, restartCount),
      restartCount,
      sandboxGen: rt.sandboxGen,
      startedAt: o.clock.now(),
      image: statusImage(image),
      imageID: imageID(image, config),
      handle: undefined,
      exit: undefined,
      finishedAtMs: undefined,
      probes: {},
      started: !c.startupProbe,
      unhealthy: undefined,
      stopping: undefined,
    };
    const replace = (): void => {
      if (rec.current?.exit) rec.lastTerminated = rec.current.exit;
      rec.current = inst;
      rec.waiting = undefined;
    };
    let handle: ContainerHandle;
    try {
      const cwd = await containerWorkingDir(rt.paths, c.name, c.workingDir);
      handle = await startContainer(sandbox, {
        name: c.name,
        argv,
        env: { ...config.env, ...env, ...podBindEnv({ ...config.env, ...env }) },
        cwd,
        tty: c.tty === true,
        stdin: c.stdin === true,
        holdOutputForFirstAttach: c.stdin === true && c.stdinOnce === true,
        logPath: containerLogPath(rt.paths.logDir(c.name), restartCount),
        clock: this.rtClock,
      });
    } catch (e) {
      if (!(e instanceof RuntimeError)) throw e;
      // As a runtime that created the container but could not start it: an instance that ended at once.
      inst.finishedAtMs = o.clock.now();
      inst.exit = { exitCode: 128, reason: 'StartError', message: e.message, startedAt: EPOCH, finishedAt: rfc3339(inst.finishedAtMs), containerID: CONTAINER_ID_PREFIX + inst.id };
      replace();
      this.event(pod, 'Warning', 'Failed', `Error: ${e.message}`);
      o.enqueue(rt.uid);
      return Number.POSITIVE_INFINITY;
    }
    inst.handle = handle;
    execPaths.set(handle, config.paths);
    inst.startedAt = handle.startedAt.getTime();
    replace();
    if (this.closed) {
      await handle.kill();
      return Number.POSITIVE_INFINITY;
    }
    this.event(pod, 'Normal', 'Created', `Created container ${c.name}`);
    this.event(pod, 'Normal', 'Started', `Started container ${c.name}`);
    void handle.exited.then((exit) => {
      inst.finishedAtMs = exit.finishedAt.getTime();
      inst.exit = terminated(inst, exit);
      this.stopProbes(inst);
      o.enqueue(rt.uid);
    });
    if (!rec.init) this.startProbes(rt, pod, c, inst);
    if (c.lifecycle?.postStart) void this.postStart(rt, pod, c, inst, c.lifecycle.postStart);
    return Number.POSITIVE_INFINITY;
  }

  private async fetchSources(namespace: string, c: Container): Promise<{ configMaps: Map<string, ConfigMap>; secrets: Map<string, Secret> }> {
    const refs = referencedSources(c);
    const configMaps = new Map<string, ConfigMap>();
    const secrets = new Map<string, Secret>();
    await Promise.all([
      ...refs.configMaps.map(async (n) => {
        try {
          configMaps.set(n, await this.o.client.configMaps(namespace).get(n));
        } catch (e) {
          if (!isNotFound(e)) throw e;
        }
      }),
      ...refs.secrets.map(async (n) => {
        try {
          secrets.set(n, await this.o.client.secrets(namespace).get(n));
        } catch (e) {
          if (!isNotFound(e)) throw e;
        }
      }),
    ]);
    return { configMaps, secrets };
  }

  // ------------------------------------------------------------------ probes and hooks

  private target(rt: PodRuntime, c: Container, inst: Instance): ProbeTarget {
    return { podIP: rt.podIP ?? '', container: c, exec: this.execFor(inst) };
  }

  private execFor(inst: Instance): ExecInContainer {
    return async (argv, timeoutMs) => {
      const handle = inst.handle;
      if (!handle || inst.exit) throw new Error('container is not running');
      const s = await execInContainer(handle, execArgv(handle, argv), { clock: this.rtClock });
      let output = '';
      const take = (d: Buffer): void => {
        if (output.length < MAX_PROBE_OUTPUT) output += d.toString('utf8');
      };
      s.stdout.on('data', take);
      s.stderr?.on('data', take);
      let timedOut = false;
      const timer = this.o.clock.setTimeout(() => {
        timedOut = true;
        void s.kill();
      }, timeoutMs);
      const exit = await s.exited;
      timer.cancel();
      return { exitCode: exit.exitCode, output: output.slice(0, MAX_PROBE_OUTPUT), timedOut };
    };
  }

  private startProbes(rt: PodRuntime, pod: Stored<Pod>, c: Container, inst: Instance): void {
    const kinds: [ProbeKind, Container['livenessProbe']][] = [
      ['startup', c.startupProbe],
      ['liveness', c.livenessProbe],
      ['readiness', c.readinessProbe],
    ];
    for (const [kind, probe] of kinds) {
      if (!probe) continue;
      const w = new ProbeWorker({
        kind,
        probe,
        target: this.target(rt, c, inst),
        startedAt: inst.startedAt,
        clock: this.o.clock,
        started: () => inst.started,
        onChange: (k, result) => {
          if (inst.exit) return;
          if (k === 'startup' && result === 'success') inst.started = true;
          if ((k === 'liveness' || k === 'startup') && result === 'failure') inst.unhealthy = k;
          this.o.enqueue(rt.uid);
        },
        onFailure: (k, r) => {
          if (inst.exit || inst.stopping) return;
          const Kind = k.charAt(0).toUpperCase() + k.slice(1);
          this.event(pod, 'Warning', 'Unhealthy', `${Kind} probe ${r.errored ? 'errored' : 'failed'}: ${r.message}`);
        },
      });
      inst.probes[kind] = w;
      w.start();
    }
  }

  private stopProbes(inst: Instance): void {
    for (const w of Object.values(inst.probes)) w?.stop();
  }

  /** Runs a lifecycle hook; resolves with its error message, or undefined when it succeeded. */
  private async runHook(rt: PodRuntime, c: Container, inst: Instance, h: LifecycleHandler, timeoutMs: number): Promise<string | undefined> {
    const sleep = h.sleep;
    if (sleep) {
      await new Promise<void>((r) => this.o.clock.setTimeout(r, Math.min(timeoutMs, Math.max(0, sleep.seconds) * 1000)));
      return undefined;
    }
    const r = await runHandler(h, this.target(rt, c, inst), timeoutMs);
    return r.outcome === 'success' ? undefined : r.message;
  }

  private async postStart(rt: PodRuntime, pod: Stored<Pod>, c: Container, inst: Instance, h: LifecycleHandler): Promise<void> {
    const err = await this.runHook(rt, c, inst, h, 120_000);
    if (err === undefined || inst.exit || this.closed) return;
    this.event(pod, 'Warning', 'FailedPostStartHook', err);
    this.stopInstance(rt, pod, c, inst, { graceSeconds: pod.spec.terminationGracePeriodSeconds ?? 30, hooks: true, message: `FailedPostStartHook` });
  }

  /**
   * Stops an instance in the background (Killing event, preStop hook within the grace period,
   * the stop signal, SIGKILL after what is left of it, at least 2 s); re-queues the pod when done.
   */
  private stopInstance(
    rt: PodRuntime,
    pod: Stored<Pod> | undefined,
    c: Container | undefined,
    inst: Instance,
    o: { graceSeconds: number; hooks: boolean; message?: string },
  ): Promise<void> {
    if (inst.stopping) return inst.stopping;
    const handle = inst.handle;
    if (!handle || inst.exit) return Promise.resolve();
    if (pod) this.event(pod, 'Normal', 'Killing', o.message ?? `Stopping container ${c?.name ?? handle.name}`);
    inst.stopping = (async () => {
      let graceMs = Math.max(0, o.graceSeconds) * 1000;
      const preStop = c?.lifecycle?.preStop;
      if (o.hooks && preStop && graceMs > 0 && c) {
        const begin = this.o.clock.now();
        const err = await this.runHook(rt, c, inst, preStop, graceMs);
        if (err !== undefined && pod) this.event(pod, 'Warning', 'FailedPreStopHook', `PreStopHook failed: ${err}`);
        graceMs -= this.o.clock.now() - begin;
      }
      graceMs = Math.max(graceMs, MIN_GRACE_SECONDS * 1000);
      await handle.stop({ gracePeriodMs: graceMs });
    })().finally(() => this.o.enqueue(rt.uid));
    return inst.stopping;
  }

  /** Stops every running instance of the pod (idempotent); `killDone` once all ended. */
  private killPod(rt: PodRuntime, pod: Stored<Pod> | undefined, o: { graceSeconds: number; hooks: boolean }): void {
    if (rt.killing) return;
    const stops: Promise<void>[] = [];
    const specOf = (name: string): Container | undefined => [...(pod?.spec.initContainers ?? []), ...(pod?.spec.containers ?? [])].find((x) => x.name === name);
    for (const rec of rt.containers.values()) {
      const inst = rec.current;
      if (!inst?.handle || inst.exit) continue;
      stops.push(this.stopInstance(rt, pod, specOf(rec.name), inst, o));
    }
    rt.killing = Promise.all(stops).then(() => {
      rt.killDone = true;
      this.o.enqueue(rt.uid);
    });
  }

  // ------------------------------------------------------------------ status

  /** Computes the pod's status from what runs and hands it to the status manager. */
  private publish(rt: PodRuntime, pod: Stored<Pod>, podIsTerminal: boolean, o: { deleteWhenStored?: boolean } = {}): void {
    this.o.status.set(pod, this.statusOf(rt, pod, podIsTerminal), o);
  }

  /** The pod's status as a pure function of what runs for it. */
  private statusOf(rt: PodRuntime, pod: Stored<Pod>, podIsTerminal: boolean): PodStatus {
    const view = (c: Container, init: boolean): ContainerView => {
      const rec = rt.containers.get(c.name);
      const inst = rec?.current;
      const v: ContainerView = {
        name: c.name,
        image: inst?.image ?? statusImage(c.image ?? ''),
        imageID: inst?.imageID ?? '',
        restartCount: inst?.restartCount ?? 0,
      };
      if (inst) v.containerID = CONTAINER_ID_PREFIX + inst.id;
      if (rec?.lastTerminated) v.lastTerminated = rec.lastTerminated;
      if (inst?.handle && !inst.exit) {
        const readiness = inst.probes.readiness;
        const ready = !init && inst.started && (c.readinessProbe ? readiness?.result === 'success' : true);
        v.running = { startedAt: rfc3339(inst.startedAt), started: inst.started, ready };
      } else if (inst?.exit) {
        v.exited = inst.exit;
        if (rec?.waiting && !podIsTerminal && !rt.terminal) v.waiting = rec.waiting;
      } else if (rec?.waiting) {
        v.waiting = rec.waiting;
      }
      return v;
    };
    return podStatusDraft({
      pod,
      initContainers: (pod.spec.initContainers ?? []).map((c) => view(c, true)),
      containers: pod.spec.containers.map((c) => view(c, false)),
      hostIP: this.o.nodeIP,
      ...(rt.podIP ? { podIP: rt.podIP } : {}),
      startTime: rt.startTime,
      sandboxReady: rt.sandbox !== undefined && !rt.terminal,
      podIsTerminal: podIsTerminal || rt.terminal,
      ...(rt.failure ? { reason: rt.failure.reason, message: rt.failure.message } : {}),
    });
  }

  private event(pod: Stored<Pod>, type: 'Normal' | 'Warning', reason: string, message: string): void {
    const ref = { apiVersion: 'v1', kind: 'Pod', metadata: { name: pod.metadata.name, namespace: pod.metadata.namespace ?? 'default', uid: pod.metadata.uid } } as const;
    void this.o.events.record(ref as unknown as Pod, type, reason, message);
  }

  // ------------------------------------------------------------------ shutdown

  /** From now on nothing new starts (reconciles in flight kill what they start). */
  close(): void {
    this.closed = true;
  }

  /** Kills every process of every pod (SIGTERM, then SIGKILL after `graceMs`). No status is written. */
  async shutdown(graceMs: number): Promise<void> {
    this.closed = true;
    const all: Promise<unknown>[] = [];
    for (const rt of this.runtimes.values()) {
      for (const rec of rt.containers.values()) {
        const inst = rec.current;
        if (!inst) continue;
        this.stopProbes(inst);
        if (inst.handle && !inst.exit) all.push(inst.handle.stop({ gracePeriodMs: graceMs, scope: 'all' }));
      }
    }
    await Promise.all(all);
    await Promise.all([...this.runtimes.values()].map((rt) => rt.sandbox?.destroy()));
  }

  /** The running instance of a container, for exec/attach. */
  running(uid: string, container: string): ContainerHandle | undefined {
    const inst = this.runtimes.get(uid)?.containers.get(container)?.current;
    return inst?.handle && !inst.exit ? inst.handle : undefined;
  }

  /** The instance whose container ID is given, if this node still has it. */
  instance(uid: string, container: string, containerID: string | undefined): Instance | undefined {
    const inst = this.runtimes.get(uid)?.containers.get(container)?.current;
    if (!inst || !containerID) return undefined;
    return CONTAINER_ID_PREFIX + inst.id === containerID ? inst : undefined;
  }
}
