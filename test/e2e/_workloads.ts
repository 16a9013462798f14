// Workload helpers shared by the [controllers] and [node] acceptance files.
import type { Pod } from '../../src/api/index.js';

/** The pod's Ready condition is True. */
export const isReady = (p: Pod): boolean => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

/**
 * A pod of the built-in hello image (HTTP on $POD_IP:8080 answering its name). Its readiness
 * probe makes Ready mean listening, so a published endpoint answers at once.
 */
export function helloPod(name: string, o: { labels: Record<string, string>; ports?: { name?: string; containerPort: number }[]; preStopSleepSeconds?: number }): Pod {
  const lifecycle = o.preStopSleepSeconds ? { lifecycle: { preStop: { sleep: { seconds: o.preStopSleepSeconds } } } } : {};
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: o.labels },
    spec: {
      terminationGracePeriodSeconds: 2 + (o.preStopSleepSeconds ?? 0),
      containers: [{ name: 'hello', image: 'gasbugs/http-go', readinessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 1 }, ...lifecycle, ...(o.ports ? { ports: o.ports } : {}) }],
    },
  };
}
