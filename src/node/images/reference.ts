// Image references ("registry.k8s.io/e2e-test-images/agnhost:2.52", "busybox") split the way
// Docker does, and the matching rule of the catalog: a pattern's registry and tag count only
// when the pattern spells them out.

export interface ImageReference {
  /** The registry host as written, or undefined when the reference names none (Docker Hub). */
  registry: string | undefined;
  /** The repository path; Docker Hub's implicit `library/` is removed ("busybox"). */
  repository: string;
  tag: string | undefined;
  digest: string | undefined;
}

export class InvalidReferenceError extends Error {
  override readonly name = 'InvalidReferenceError';
}

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;

export function parseImageReference(ref: string): ImageReference {
  let rest = ref.trim();
  if (rest === '') throw new InvalidReferenceError('Cannot parse image reference "": it is empty');
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw new InvalidReferenceError(`Cannot parse image reference "${ref}": invalid tag "${tag}"`);
  }
  const parts = rest.split('/');
  let registry: string | undefined;
  const first = parts[0] ?? '';
  if (parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    registry = first;
    parts.shift();
  }
  if (registry === 'docker.io' || registry === 'index.docker.io' || registry === 'registry-1.docker.io') {
    registry = 'docker.io';
  }
  if (parts[0] === 'library' && parts.length > 1 && (registry === undefined || registry === 'docker.io')) parts.shift();
  for (const p of parts) {
    if (!COMPONENT.test(p)) {
      throw new InvalidReferenceError(`Cannot parse image reference "${ref}": invalid repository component "${p}"`);
    }
  }
  return { registry, repository: parts.join('/'), tag, digest };
}

/**
 * Whether `image` is matched by catalog `pattern`: the repositories must be equal; the registry
 * must be equal only when the pattern names one (`docker.io` is Docker Hub), likewise the tag.
 */
export function referenceMatches(pattern: ImageReference, image: ImageReference): boolean {
  if (pattern.repository !== image.repository) return false;
  if (pattern.registry !== undefined && pattern.registry !== (image.registry ?? 'docker.io')) return false;
  if (pattern.tag !== undefined && pattern.tag !== (image.tag ?? 'latest')) return false;
  if (pattern.digest !== undefined && pattern.digest !== image.digest) return false;
  return true;
}
