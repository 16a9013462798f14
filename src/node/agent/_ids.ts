// Names the status shows for images and container instances.
import { createHash } from 'node:crypto';
import { parseImageReference, type ImageConfig } from '../images/index.js';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** The image as a container runtime reports it: `busybox` → `docker.io/library/busybox:latest`. */
export function statusImage(image: string): string {
  try {
    const ref = parseImageReference(image);
    const registry = ref.registry ?? 'docker.io';
    const repo = registry === 'docker.io' && !ref.repository.includes('/') ? `library/${ref.repository}` : ref.repository;
    if (ref.digest) return `${registry}/${repo}@${ref.digest}`;
    return `${registry}/${repo}:${ref.tag ?? 'latest'}`;
  } catch {
    return image;
  }
}

/** A stable image ID: the repository and a digest of what the catalog entry runs. */
export function imageID(image: string, config: ImageConfig): string {
  const name = statusImage(image).replace(/[:@][^/]*$/, '');
  return `${name}@sha256:${sha256(JSON.stringify([config.source, config.entrypoint, config.cmd, config.env]))}`;
}

/** The ID of instance `restartCount` of a container: derivable, so logs can find an instance by ID. */
export function containerInstanceID(podUID: string, container: string, restartCount: number): string {
  return sha256(`${podUID}/${container}/${restartCount}`);
}

export const CONTAINER_ID_PREFIX = 'kubeloop://';

/** The instance number whose ID is `containerID`, among 0..maxRestartCount (undefined if none). */
export function instanceOf(podUID: string, container: string, containerID: string, maxRestartCount: number): number | undefined {
  const id = containerID.startsWith(CONTAINER_ID_PREFIX) ? containerID.slice(CONTAINER_ID_PREFIX.length) : containerID;
  for (let n = Math.max(0, maxRestartCount); n >= 0; n--) if (containerInstanceID(podUID, container, n) === id) return n;
  return undefined;
}

/** Go's time.Duration formatting for whole seconds and up ("10s", "1m20s", "5m0s"); ms below 1 s. */
export function goDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  let s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}
