// The podbind shim (native/podbind.c, built into dist/native by scripts/build-native.mjs): an
// LD_PRELOAD library that makes a pod program's connections to 127.0.0.0/8 leave from $POD_IP.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The shim's path, or undefined when it was not built (no C compiler at install). */
export function podBindShim(): string | undefined {
  const p = fileURLToPath(new URL('../../../native/podbind.so', import.meta.url));
  return existsSync(p) ? p : undefined;
}

/** The env a pod process needs for the shim: LD_PRELOAD with the shim first (keeping any other). */
export function podBindEnv(env: Readonly<Record<string, string>>, shim: string | undefined = podBindShim()): Record<string, string> {
  if (!shim || !env['POD_IP']) return {};
  const other = env['LD_PRELOAD'];
  return { LD_PRELOAD: other ? `${shim}:${other}` : shim };
}
