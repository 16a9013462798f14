// core/v1 Events, as printers.go printEvent (wide cells): LAST SEEN falls back to the first
// timestamp (or eventTime), a series overrides last seen and count, OBJECT is kind/name lowercased.
import type { Event } from '../core.js';
import type { KubeObject } from '../objects.js';
import { NAME, EVENT } from './descriptions.js';
import { parseTimestamp, translateTimestampSince } from './duration.js';
import { column, type TablePrinter } from './printer.js';

/** `formatEventSource`: component (or reportingComponent), then ", host" (or reportingInstance). */
export function formatEventSource(ev: Event): string {
  const component = ev.source?.component || ev.reportingComponent || '';
  const host = ev.source?.host || ev.reportingInstance || '';
  return host ? `${component}, ${host}` : component;
}

export const eventPrinter: TablePrinter = {
  columns: [
    column('Last Seen', 'string', EVENT.lastTimestamp),
    column('Type', 'string', EVENT.type),
    column('Reason', 'string', EVENT.reason),
    column('Object', 'string', EVENT.involvedObject),
    column('Subobject', 'string', EVENT.fieldPath, { priority: 1 }),
    column('Source', 'string', EVENT.source, { priority: 1 }),
    column('Message', 'string', EVENT.message),
    column('First Seen', 'string', EVENT.firstTimestamp, { priority: 1 }),
    column('Count', 'string', EVENT.count, { priority: 1 }),
    column('Name', 'string', NAME, { priority: 1, format: 'name' }),
  ],
  cells(obj: KubeObject, now: Date): unknown[] {
    const ev = obj as unknown as Event;
    const firstSeen =
      parseTimestamp(ev.firstTimestamp) === undefined ? translateTimestampSince(ev.eventTime, now) : translateTimestampSince(ev.firstTimestamp, now);
    let lastSeen = parseTimestamp(ev.lastTimestamp) === undefined ? firstSeen : translateTimestampSince(ev.lastTimestamp, now);
    let count = ev.count ?? 0;
    if (ev.series) {
      lastSeen = translateTimestampSince(ev.series.lastObservedTime, now);
      count = ev.series.count;
    } else if (count === 0) {
      count = 1;
    }
    const kind = (ev.involvedObject?.kind ?? '').toLowerCase();
    const target = ev.involvedObject?.name ? `${kind}/${ev.involvedObject.name}` : kind;
    return [
      lastSeen,
      ev.type ?? '',
      ev.reason ?? '',
      target,
      ev.involvedObject?.fieldPath ?? '',
      formatEventSource(ev),
      (ev.message ?? '').trim(),
      firstSeen,
      count,
      ev.metadata.name ?? '',
    ];
  },
};
