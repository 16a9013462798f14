// What exec needs from a container that is not part of its public handle.
import type { ContainerHandle } from './container.js';
import type { SandboxMember } from './sandbox.js';

export interface ContainerInternals {
  /** namespaces mode: the container's unshare process (its ns/* are the container's). */
  namespacePid: number | undefined;
  /** Registers an exec session that must die with the container; returns the unregister function. */
  trackExec(member: SandboxMember): () => void;
}

export const containerInternals = new WeakMap<ContainerHandle, ContainerInternals>();
