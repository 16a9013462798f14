// `GET /api/v1/namespaces/<ns>/pods/<pod>/log` served from the node's CRI log files: which
// container instance to read follows the kubelet's validateContainerLogStatus (by the pod
// status); the query parameters are PodLogOptions'; the answer is text/plain, and `follow`
// keeps the chunked response open until that instance ends (or the client goes away).
import type { ServerResponse } from 'node:http';
import { badRequest, type ContainerStatus, type Pod, type PodStatus, type Stored } from '../../api/index.js';
import { LogNotFoundError, containerLogPath, readLog, type ReadLogOptions } from '../runtime/index.js';
import { instanceOf } from './_ids.js';

export interface LogSource {
  /** The container's log directory on this node. */
  logDir(uid: string, container: string): string;
  /** The freshest status the node has for the pod (falls back to the pod's). */
  status(uid: string): PodStatus | undefined;
  /** Settles when the instance with this container ID ends; undefined if it is not running here. */
  running(uid: string, container: string, containerID: string): Promise<unknown> | undefined;
}

/** Go's strconv.ParseBool, as query parameters are parsed. */
function parseBool(q: URLSearchParams, name: string): boolean {
  const v = q.get(name);
  if (v === null || v === '') return false;
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(v)) return false;
  throw badRequest(`${name}: Invalid value: "${v}": must be a boolean`);
}

function parseInt64(q: URLSearchParams, name: string, min: number): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  if (!/^-?\d+$/.test(v)) throw badRequest(`${name}: Invalid value: "${v}": must be an integer`);
  const n = Number(v);
  if (n < min) throw badRequest(`${name}: Invalid value: ${n}: must be greater than or equal to ${min}`);
  return n;
}

export interface LogRequest {
  container: string;
  options: ReadLogOptions;
  previous: boolean;
}

/** Validates the query against the pod (container name, PodLogOptions). Throws a 400 StatusError. */
export function parseLogRequest(pod: Pick<Pod, 'metadata' | 'spec'>, q: URLSearchParams): LogRequest {
  const name = pod.metadata.name ?? '';
  const containers = pod.spec.containers.map((c) => c.name);
  const inits = (pod.spec.initContainers ?? []).map((c) => c.name);
  let container = q.get('container') ?? '';
  if (container === '') {
    if (containers.length === 1 && containers[0] !== undefined) container = containers[0];
    else {
      const initPart = inits.length ? ` or one of the init containers: [${inits.join(' ')}]` : '';
      throw badRequest(`a container name must be specified for pod ${name}, choose one of: [${containers.join(' ')}]${initPart}`);
    }
  }
  if (!containers.includes(container) && !inits.includes(container)) throw badRequest(`container ${container} is not valid for pod ${name}`);
  const options: ReadLogOptions = {};
  options.follow = parseBool(q, 'follow');
  options.timestamps = parseBool(q, 'timestamps');
  const previous = parseBool(q, 'previous');
  const tail = parseInt64(q, 'tailLines', 0);
  if (tail !== undefined) options.tailLines = tail;
  const limit = parseInt64(q, 'limitBytes', 1);
  if (limit !== undefined) options.limitBytes = limit;
  const sinceSeconds = parseInt64(q, 'sinceSeconds', 1);
  const sinceTimeRaw = q.get('sinceTime');
  if (sinceSeconds !== undefined && sinceTimeRaw) throw badRequest('at most one of `sinceTime` or `sinceSeconds` may be specified');
  if (sinceSeconds !== undefined) options.sinceSeconds = sinceSeconds;
  if (sinceTimeRaw) {
    const t = Date.parse(sinceTimeRaw);
    if (Number.isNaN(t)) throw badRequest(`sinceTime: Invalid value: "${sinceTimeRaw}": must be an RFC3339 time`);
    options.sinceTime = new Date(t);
  }
  return { container, options, previous };
}

/**
 * Which container ID to read (kubelet validateContainerLogStatus): the previous instance's for
 * `previous`, else the running one's, else the last ended one's. Throws 400 as upstream when
 * there is none.
 */
export function logContainerID(podName: string, container: string, cs: ContainerStatus | undefined, previous: boolean): string {
  const state = cs?.state ?? {};
  const last = cs?.lastState?.terminated;
  if (previous) {
    if (!last?.containerID) throw badRequest(`previous terminated container "${container}" in pod "${podName}" not found`);
    return last.containerID;
  }
  if (state.running && cs?.containerID) return cs.containerID;
  if (state.terminated) {
    const id = state.terminated.containerID || cs?.containerID;
    if (id) return id;
    if (last?.containerID) return last.containerID;
    throw badRequest(`container "${container}" in pod "${podName}" is terminated`);
  }
  if (last) {
    if (!last.containerID) throw badRequest(`container "${container}" in pod "${podName}" is terminated`);
    return last.containerID;
  }
  const reason = state.waiting?.reason;
  if (reason === 'ErrImagePull') throw badRequest(`container "${container}" in pod "${podName}" is waiting to start: image can't be pulled`);
  if (reason === 'ImagePullBackOff') throw badRequest(`container "${container}" in pod "${podName}" is waiting to start: trying and failing to pull image`);
  if (reason) throw badRequest(`container "${container}" in pod "${podName}" is waiting to start: ${reason}`);
  throw badRequest(`container "${container}" in pod "${podName}" is waiting to start - no logs yet`);
}

/** Serves one logs request (the API server's PodStreams.logs). */
export async function serveLogs(pod: Stored<Pod>, query: URLSearchParams, res: ServerResponse, src: LogSource): Promise<void> {
  const req = parseLogRequest(pod, query);
  const uid = pod.metadata.uid;
  const status = src.status(uid) ?? pod.status;
  const all = [...(status?.containerStatuses ?? []), ...(status?.initContainerStatuses ?? [])];
  const cs = all.find((s) => s.name === req.container);
  const containerID = logContainerID(pod.metadata.name, req.container, cs, req.previous);
  const instance = instanceOf(uid, req.container, containerID, (cs?.restartCount ?? 0) + 1);
  const abort = new AbortController();
  const until = req.options.follow && !req.previous ? src.running(uid, req.container, containerID) : undefined;
  const options: ReadLogOptions = { ...req.options, follow: until !== undefined, until: until ?? Promise.resolve(), signal: abort.signal };

  res.on('close', () => abort.abort());
  res.writeHead(200, { 'Content-Type': 'text/plain', 'X-Content-Type-Options': 'nosniff' });
  if (instance === undefined) {
    res.end();
    return;
  }
  const path = containerLogPath(src.logDir(uid, req.container), instance);
  try {
    for await (const chunk of readLog(path, options)) {
      if (abort.signal.aborted) break;
      if (!res.write(chunk)) {
        await new Promise<void>((resolve) => {
          const done = (): void => {
            res.off('drain', done);
            res.off('close', done);
            resolve();
          };
          res.on('drain', done);
          res.on('close', done);
        });
      }
    }
  } catch (e) {
    // A log file that is gone (pod cleaned up meanwhile) reads as empty.
    if (!(e instanceof LogNotFoundError)) throw e;
  }
  res.end();
}
