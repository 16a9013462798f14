// Where a node keeps its pods on disk: `<dataDir>/nodes/<node>/pods/<uid>/` with the pod's
// /etc/hosts, /etc/resolv.conf and /etc/hostname sources, one log directory and one working
// directory per container. Files the sandbox bind-mounts are rewritten in place (same inode).
import { mkdir, open, readdir, rm, stat } from 'node:fs/promises';
import { isAbsolute, join, normalize } from 'node:path';

export class PodPaths {
  constructor(readonly dir: string) {}

  get hosts(): string {
    return join(this.dir, 'etc-hosts');
  }

  get resolvConf(): string {
    return join(this.dir, 'resolv.conf');
  }

  get hostname(): string {
    return join(this.dir, 'hostname');
  }

  logDir(container: string): string {
    return join(this.dir, 'logs', container);
  }

  containerDir(container: string): string {
    return join(this.dir, 'containers', container);
  }
}

export function podsRoot(dataDir: string, nodeName: string): string {
  return join(dataDir, 'nodes', nodeName, 'pods');
}

export function podPaths(dataDir: string, nodeName: string, uid: string): PodPaths {
  return new PodPaths(join(podsRoot(dataDir, nodeName), uid));
}

/** Writes `text` into `path` in place: truncate and write, never replace the inode. */
export async function writeInPlace(path: string, text: string): Promise<void> {
  const fh = await open(path, 'a+');
  try {
    await fh.truncate(0);
    await fh.write(text, 0, 'utf8');
  } finally {
    await fh.close();
  }
}

/**
 * The working directory of a container: `workingDir` when it exists on this machine (the pod
 * shares the host's file system), else that path recreated under the container's own
 * directory; without `workingDir`, the container's directory.
 */
export async function containerWorkingDir(paths: PodPaths, container: string, workingDir: string | undefined): Promise<string> {
  const own = paths.containerDir(container);
  if (workingDir && isAbsolute(workingDir)) {
    try {
      if ((await stat(workingDir)).isDirectory()) return workingDir;
    } catch {
      // Not on this machine: make it inside the container's directory.
    }
    const inside = join(own, 'root', normalize(workingDir));
    await mkdir(inside, { recursive: true });
    return inside;
  }
  await mkdir(own, { recursive: true });
  return own;
}

/** Pod directories under `root` (by UID). */
export async function listPodDirs(root: string): Promise<string[]> {
  try {
    return (await readdir(root, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
  } catch {
    return [];
  }
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true, maxRetries: 3 });
}
