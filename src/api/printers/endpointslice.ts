// EndpointSlices, as printers.go formatDiscoveryPorts / formatDiscoveryEndpoints: every address
// regardless of readiness, at most 3 then "+ N more..."; `<unset>` when empty.
import type { Endpoint, EndpointSlice, EndpointSlicePort } from '../discovery.js';
import type { KubeObject } from '../objects.js';
import { NAME, CREATION_TIMESTAMP, ENDPOINT_SLICE } from './descriptions.js';
import { translateTimestampSince } from './duration.js';
import { column, type TablePrinter } from './printer.js';

const MAX = 3;

function listWithMore(list: string[], more: boolean, count: number): string {
  const ret = list.join(',');
  if (more) return `${ret} + ${count - MAX} more...`;
  return ret === '' ? '<unset>' : ret;
}

export function formatDiscoveryPorts(ports: readonly EndpointSlicePort[] | null | undefined): string {
  const list: string[] = [];
  let more = false;
  let count = 0;
  for (const p of ports ?? []) {
    if (list.length < MAX) {
      // A nil port means "all ports"; a name-only port prints its name (possibly "").
      list.push(p.port !== undefined && p.port !== null ? String(p.port) : p.name !== undefined && p.name !== null ? p.name : '*');
    } else if (list.length === MAX) {
      more = true;
    }
    count++;
  }
  return listWithMore(list, more, count);
}

export function formatDiscoveryEndpoints(endpoints: readonly Endpoint[] | null | undefined): string {
  const list: string[] = [];
  let more = false;
  let count = 0;
  for (const ep of endpoints ?? []) {
    for (const a of ep.addresses ?? []) {
      if (list.length < MAX) list.push(a);
      else if (list.length === MAX) more = true;
      count++;
    }
  }
  return listWithMore(list, more, count);
}

export const endpointSlicePrinter: TablePrinter = {
  columns: [
    column('Name', 'string', NAME, { format: 'name' }),
    column('AddressType', 'string', ENDPOINT_SLICE.addressType),
    column('Ports', 'string', ENDPOINT_SLICE.ports),
    column('Endpoints', 'string', ENDPOINT_SLICE.endpoints),
    column('Age', 'string', CREATION_TIMESTAMP),
  ],
  cells(obj: KubeObject, now: Date): unknown[] {
    const s = obj as unknown as EndpointSlice;
    return [
      s.metadata.name ?? '',
      s.addressType ?? '',
      formatDiscoveryPorts(s.ports),
      formatDiscoveryEndpoints(s.endpoints),
      translateTimestampSince(s.metadata.creationTimestamp, now),
    ];
  },
};
