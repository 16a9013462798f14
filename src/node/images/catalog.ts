// The image catalog: what an image reference runs, in the shape of an OCI image config
// (entrypoint + cmd + env). Built-in entries come first unless the user catalog (images.yaml in
// the data dir) has an entry for the same image; an unknown image is an ErrImagePull.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { parseImageReference, referenceMatches, type ImageReference } from './reference.js';

/** What an image runs, after resolution. Paths are absolute on this machine. */
export interface ImageConfig {
  /** The reference that was resolved, as given. */
  image: string;
  /** Where the entry came from: `builtin:<name>` or the user catalog's path. */
  source: string;
  /** Replaced by a container's `command`. */
  entrypoint: string[];
  /** Replaced by a container's `args`. */
  cmd: string[];
  /** Environment the image sets (like `Env` in an OCI config); the container's env wins. */
  env: Record<string, string>;
  /**
   * Program paths inside the image that a container's `command` may name (agnhost's
   * `/agnhost`), mapped to the local argv prefix that runs them.
   */
  paths: Record<string, string[]>;
}

export interface ResolveImageOptions {
  /** The user catalog, normally `<data dir>/images.yaml`; a missing file means no entries. */
  userCatalogPath?: string;
  /** Where generated files go (busybox applet links). Default: `<tmpdir>/kubeloop-<user>/images`. */
  cacheDir?: string;
}

/** The image cannot be run here; `reason` is what the pod status shows. */
export class ImagePullError extends Error {
  override readonly name = 'ImagePullError';
  readonly reason = 'ErrImagePull';
  constructor(
    readonly image: string,
    message: string,
  ) {
    super(message);
  }
}

/** The user catalog file exists but cannot be used. */
export class ImageCatalogError extends Error {
  override readonly name = 'ImageCatalogError';
}

/** A container spec that gives nothing to run (no command, and the image has no entrypoint/cmd). */
export class ContainerConfigError extends Error {
  override readonly name = 'ContainerConfigError';
  readonly reason = 'CreateContainerError';
}

const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Absolute path of a built-in program's compiled script (works from dist/). */
export function builtinProgramPath(program: 'hello' | 'agnhost'): string {
  return fileURLToPath(new URL(`./${program}.js`, import.meta.url));
}

interface Entry {
  entrypoint: string[];
  cmd: string[];
  env: Record<string, string>;
  paths: Record<string, string[]>;
}

interface BuiltinImage {
  name: string;
  patterns: string[];
  build(options: ResolveImageOptions): Entry;
}

function nodeProgram(program: 'hello' | 'agnhost'): string[] {
  return [process.execPath, builtinProgramPath(program)];
}

const BUILTINS: BuiltinImage[] = [
  {
    name: 'hello',
    patterns: ['kubeloop/hello', 'gasbugs/http-go'],
    build: () => ({ entrypoint: nodeProgram('hello'), cmd: [], env: {}, paths: {} }),
  },
  {
    name: 'agnhost',
    patterns: ['e2e-test-images/agnhost', 'kubernetes-e2e-test-images/agnhost', 'agnhost'],
    build: () => ({
      entrypoint: nodeProgram('agnhost'),
      cmd: ['pause'],
      env: {},
      paths: { '/agnhost': nodeProgram('agnhost'), '/agnhost-2': nodeProgram('agnhost') },
    }),
  },
  {
    name: 'pause',
    patterns: ['pause', 'google_containers/pause', 'google-containers/pause'],
    build: () => ({ entrypoint: [...nodeProgram('agnhost'), 'pause'], cmd: [], env: {}, paths: {} }),
  },
  {
    name: 'busybox',
    patterns: ['busybox'],
    build: (options) => {
      const busybox = ['/bin/busybox', '/usr/bin/busybox'].find((p) => existsSync(p));
      if (busybox === undefined) throw new Error('busybox is not installed on this machine (apt-get install busybox)');
      const applets = busyboxApplets(busybox, options.cacheDir ?? defaultCacheDir());
      // The image has no entrypoint and `sh` as cmd; its applets come first in PATH, so
      // `wget`, `nslookup`, `sh` ... are busybox's, as in the real image.
      return { entrypoint: [], cmd: ['sh'], env: { PATH: `${applets}:${DEFAULT_PATH}` }, paths: {} };
    },
  },
  {
    name: 'redis',
    patterns: ['redis'],
    build: () => {
      const server = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((p) => existsSync(p));
      if (server === undefined) throw new Error('redis-server is not installed on this machine (apt-get install redis-server)');
      // The official image's entrypoint (docker-entrypoint.sh) and cmd (redis-server), binding
      // $POD_IP as loopback mode needs; a `redis-server` command goes through it too.
      const entrypoint = ['/bin/sh', '-c', redisEntrypoint(server), 'docker-entrypoint.sh'];
      return { entrypoint, cmd: ['redis-server'], env: {}, paths: { 'redis-server': entrypoint, '/usr/local/bin/redis-server': entrypoint } };
    },
  },
];

/**
 * Like the image's docker-entrypoint.sh: flags or a .conf file alone mean `redis-server` with
 * them. redis-server then listens on $POD_IP (a config file, if any, must come first; options
 * given later, including --bind, override ours). The official image builds redis-server with
 * protected mode off ("unnecessary in the context of Docker"); `--protected-mode no` does the same,
 * so clients from other pods are served.
 */
function redisEntrypoint(server: string): string {
  return [
    'if [ "${1#-}" != "$1" ] || [ "${1%.conf}" != "$1" ]; then set -- redis-server "$@"; fi',
    'if [ "$1" = redis-server ]; then',
    '  shift',
    `  if [ -n "$1" ] && [ "\${1#-}" = "$1" ]; then conf=$1; shift; exec ${server} "$conf" --bind "\${POD_IP:-0.0.0.0}" --protected-mode no "$@"; fi`,
    `  exec ${server} --bind "\${POD_IP:-0.0.0.0}" --protected-mode no "$@"`,
    'fi',
    'exec "$@"',
  ].join('\n');
}

/** The images that are always available, for messages and `kubeloop status`. */
export const BUILTIN_IMAGES: readonly string[] = [
  'kubeloop/hello',
  'gasbugs/http-go',
  'registry.k8s.io/e2e-test-images/agnhost',
  'registry.k8s.io/pause',
  'busybox',
  'redis',
];

function defaultCacheDir(): string {
  let user = 'user';
  try {
    user = userInfo().username;
  } catch {
    user = String(process.getuid?.() ?? 'user');
  }
  return join(tmpdir(), `kubeloop-${user}`, 'images');
}

/** A directory of `<applet> -> busybox` links, made once (atomically) and reused. */
function busyboxApplets(busybox: string, cacheDir: string): string {
  const dir = join(cacheDir, 'busybox-bin');
  if (existsSync(join(dir, '.complete'))) return dir;
  const list = execFileSync(busybox, ['--list'], { encoding: 'utf8', timeout: 10_000 })
    .split('\n')
    .map((s) => s.trim())
    .filter((s) => /^[\w.[-]+$/.test(s) && s !== '.' && s !== '..');
  mkdirSync(cacheDir, { recursive: true });
  const staging = join(cacheDir, `.busybox-bin-${process.pid}-${Date.now()}`);
  mkdirSync(staging);
  for (const applet of list) symlinkSync(busybox, join(staging, applet));
  writeFileSync(join(staging, '.complete'), `${busybox}\n`);
  try {
    renameSync(staging, dir);
  } catch (err) {
    // Another process made it first; theirs is as good as ours.
    if (!existsSync(join(dir, '.complete'))) throw err;
  }
  return dir;
}

interface UserEntry extends Entry {
  pattern: ImageReference;
  image: string;
}

function stringList(value: unknown, where: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' && typeof v !== 'number')) {
    throw new ImageCatalogError(`${where}: must be a list of strings`);
  }
  return value.map(String);
}

function stringMap(value: unknown, where: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new ImageCatalogError(`${where}: must be a map`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
      throw new ImageCatalogError(`${where}.${k}: must be a string`);
    }
    out[k] = String(v);
  }
  return out;
}

/**
 * Reads and validates a user catalog. A missing file is an empty catalog; anything else that is
 * wrong throws ImageCatalogError naming the file and the field.
 */
export function loadUserCatalog(path: string): UserEntry[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new ImageCatalogError(`Cannot read image catalog ${path}: ${(err as Error).message}`);
  }
  try {
    let doc: unknown;
    try {
      doc = parseYaml(text);
    } catch (err) {
      throw new ImageCatalogError(`not valid YAML: ${(err as Error).message}`);
    }
    if (doc === null || doc === undefined) return [];
    const images = (doc as { images?: unknown }).images;
    if (typeof doc !== 'object' || !Array.isArray(images)) throw new ImageCatalogError('images: must be a list');
    return images.map((raw: unknown, i: number): UserEntry => {
      const where = `images[${i}]`;
      if (typeof raw !== 'object' || raw === null) throw new ImageCatalogError(`${where}: must be a map`);
      const e = raw as Record<string, unknown>;
      for (const key of Object.keys(e)) {
        if (!['image', 'entrypoint', 'cmd', 'env', 'paths'].includes(key)) {
          throw new ImageCatalogError(`${where}.${key}: unknown field (known: image, entrypoint, cmd, env, paths)`);
        }
      }
      if (typeof e['image'] !== 'string' || e['image'] === '') {
        throw new ImageCatalogError(`${where}.image: required, a string such as "python" or "myorg/app:1.0"`);
      }
      let pattern: ImageReference;
      try {
        pattern = parseImageReference(e['image']);
      } catch (err) {
        throw new ImageCatalogError(`${where}.image: ${(err as Error).message}`);
      }
      const paths: Record<string, string[]> = {};
      const rawPaths = e['paths'];
      if (rawPaths !== undefined && rawPaths !== null) {
        if (typeof rawPaths !== 'object' || Array.isArray(rawPaths)) throw new ImageCatalogError(`${where}.paths: must be a map`);
        for (const [k, v] of Object.entries(rawPaths as Record<string, unknown>)) {
          paths[k] = stringList(v, `${where}.paths.${k}`);
        }
      }
      return {
        image: e['image'],
        pattern,
        entrypoint: stringList(e['entrypoint'], `${where}.entrypoint`),
        cmd: stringList(e['cmd'], `${where}.cmd`),
        env: stringMap(e['env'], `${where}.env`),
        paths,
      };
    });
  } catch (err) {
    if (err instanceof ImageCatalogError) throw new ImageCatalogError(`Cannot load image catalog ${path}: ${err.message}`);
    throw err;
  }
}

function howToMap(image: string, ref: ImageReference | undefined, catalogPath: string | undefined): string {
  const name = ref?.repository ?? image;
  const where = catalogPath ?? '<data dir>/images.yaml';
  return (
    `add an entry to ${where}, e.g. "images: [{image: ${name}, entrypoint: [/path/to/program], cmd: [arg]}]", ` +
    `or use a built-in image (${BUILTIN_IMAGES.join(', ')})`
  );
}

function checkRunnable(image: string, source: string, entry: Entry): void {
  const first = entry.entrypoint[0];
  if (first !== undefined && first.startsWith('/') && !existsSync(first)) {
    throw new ImagePullError(image, `Failed to pull image "${image}": ${source} maps it to ${first}, which does not exist on this machine`);
  }
}

/**
 * Resolves an image reference to what it runs. Throws ImagePullError (reason ErrImagePull) when
 * no entry matches or the entry's program is missing; its message says how to map the image.
 */
export function resolveImage(image: string, options: ResolveImageOptions = {}): ImageConfig {
  let ref: ImageReference;
  try {
    ref = parseImageReference(image);
  } catch (err) {
    throw new ImagePullError(image, `Failed to pull image "${image}": ${(err as Error).message}`);
  }
  let catalogProblem = '';
  if (options.userCatalogPath !== undefined) {
    try {
      for (const e of loadUserCatalog(options.userCatalogPath)) {
        if (!referenceMatches(e.pattern, ref)) continue;
        checkRunnable(image, options.userCatalogPath, e);
        return { image, source: options.userCatalogPath, entrypoint: e.entrypoint, cmd: e.cmd, env: e.env, paths: e.paths };
      }
    } catch (err) {
      if (!(err instanceof ImageCatalogError)) throw err;
      catalogProblem = ` (${err.message})`;
    }
  }
  for (const b of BUILTINS) {
    if (!b.patterns.some((p) => referenceMatches(parseImageReference(p), ref))) continue;
    let entry: Entry;
    try {
      entry = b.build(options);
    } catch (err) {
      throw new ImagePullError(image, `Failed to pull image "${image}": ${(err as Error).message}`);
    }
    checkRunnable(image, `built-in image ${b.name}`, entry);
    return { image, source: `builtin:${b.name}`, ...entry };
  }
  throw new ImagePullError(
    image,
    `Failed to pull image "${image}": kubeloop has no local program for this image; ` +
      `${howToMap(image, ref, options.userCatalogPath)}${catalogProblem}`,
  );
}

export interface ContainerCommand {
  /** Pod `command`: replaces the image entrypoint. Empty means unset, as in Kubernetes. */
  command?: readonly string[];
  /** Pod `args`: replaces the image cmd. Empty means unset. */
  args?: readonly string[];
}

/**
 * The argv a container runs, by Kubernetes rules (command replaces entrypoint, args replace
 * cmd), with in-image program paths (`/agnhost`) mapped to local programs. `$(VAR)` expansion
 * is the caller's job. Throws ContainerConfigError when nothing is left to run.
 */
export function containerArgv(config: ImageConfig, spec: ContainerCommand): string[] {
  const command = spec.command && spec.command.length > 0 ? [...spec.command] : undefined;
  const args = spec.args && spec.args.length > 0 ? [...spec.args] : undefined;
  const argv = command ? [...command, ...(args ?? [])] : [...config.entrypoint, ...(args ?? config.cmd)];
  const first = argv[0];
  if (first === undefined) {
    throw new ContainerConfigError(`Cannot create container for image "${config.image}": no command specified`);
  }
  const mapped = config.paths[first];
  return mapped ? [...mapped, ...argv.slice(1)] : argv;
}

