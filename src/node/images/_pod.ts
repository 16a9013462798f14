// What a built-in program knows about the pod it runs in.
import { hostname } from 'node:os';

/**
 * The pod's hostname: `$HOSTNAME` (the runtime sets it in every container, as Kubernetes does),
 * else the kernel's hostname (which is the pod name inside a UTS namespace).
 */
export function podHostname(): string {
  const fromEnv = process.env['HOSTNAME'];
  return fromEnv !== undefined && fromEnv !== '' ? fromEnv : hostname();
}

/** The address servers listen on: `$POD_IP` (loopback mode needs it), else every address. */
export function bindAddress(): string {
  const ip = process.env['POD_IP'];
  return ip !== undefined && ip !== '' ? ip : '0.0.0.0';
}

/** One log line, prefixed like Go's log package so output resembles the upstream image. */
export function logLine(message: string): void {
  const d = new Date();
  const p = (n: number): string => String(n).padStart(2, '0');
  const stamp = `${d.getFullYear()}/${p(d.getMonth() + 1)}/${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
  process.stdout.write(`${stamp} ${message}\n`);
}

/**
 * Runs `stop` on SIGTERM/SIGINT. A container's main process is PID 1 of its PID namespace, where
 * the kernel ignores signals that have no handler, so every built-in server installs one.
 */
export function onTermination(stop: (signal: NodeJS.Signals) => void): void {
  for (const sig of ['SIGTERM', 'SIGINT'] as const) process.once(sig, () => stop(sig));
}
