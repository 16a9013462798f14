// Endpoints, as printers.go formatEndpoints: ready addresses as ip:port for each port (bare IPs for
// a port-less subset), at most 3 then "+ N more..."; `<none>` without subsets.
import type { Endpoints } from '../core.js';
import type { KubeObject } from '../objects.js';
import { NAME, CREATION_TIMESTAMP, ENDPOINTS_SUBSETS } from './descriptions.js';
import { translateTimestampSince } from './duration.js';
import { column, type TablePrinter } from './printer.js';

const MAX = 3;

/** `net.JoinHostPort`: IPv6 hosts get brackets. */
export function joinHostPort(host: string, port: number | string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

export function formatEndpoints(ep: Endpoints): string {
  const subsets = ep.subsets ?? [];
  if (subsets.length === 0) return '<none>';
  const list: string[] = [];
  let more = false;
  let count = 0;
  for (const ss of subsets) {
    const addrs = ss.addresses ?? [];
    const ports = ss.ports ?? [];
    if (ports.length === 0) {
      count += addrs.length;
      for (const a of addrs) {
        if (list.length === MAX) {
          more = true;
          break;
        }
        list.push(a.ip);
      }
      continue;
    }
    for (const port of ports) {
      count += addrs.length;
      for (const a of addrs) {
        if (list.length === MAX) {
          more = true;
          break;
        }
        list.push(joinHostPort(a.ip, port.port));
      }
    }
  }
  const ret = list.join(',');
  return more ? `${ret} + ${count - MAX} more...` : ret;
}

export const endpointsPrinter: TablePrinter = {
  columns: [column('Name', 'string', NAME, { format: 'name' }), column('Endpoints', 'string', ENDPOINTS_SUBSETS), column('Age', 'string', CREATION_TIMESTAMP)],
  cells(obj: KubeObject, now: Date): unknown[] {
    const ep = obj as Endpoints;
    return [ep.metadata.name ?? '', formatEndpoints(ep), translateTimestampSince(ep.metadata.creationTimestamp, now)];
  },
};
