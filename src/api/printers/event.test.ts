import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Event } from '../core.js';
import type { KubeObject } from '../objects.js';
import { eventPrinter } from './event.js';

const now = new Date('2024-05-01T12:00:00Z');
const ago = (s: number) => new Date(now.getTime() - s * 1000).toISOString().replace('.000Z', 'Z');
const as = (o: unknown) => o as KubeObject;

test('events print LAST SEEN, TYPE, REASON, OBJECT, MESSAGE with the wide cells after', () => {
  const ev: Event = {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'web.17c0', namespace: 'default' },
    involvedObject: { kind: 'Pod', name: 'web', namespace: 'default', fieldPath: 'spec.containers{app}' },
    reason: 'Pulled',
    message: ' Successfully pulled image "nginx" \n',
    source: { component: 'kubelet', host: 'node-1' },
    firstTimestamp: ago(300),
    lastTimestamp: ago(60),
    count: 3,
    type: 'Normal',
  };
  assert.deepEqual(eventPrinter.cells(as(ev), now), ['60s', 'Normal', 'Pulled', 'pod/web', 'spec.containers{app}', 'kubelet, node-1', 'Successfully pulled image "nginx"', '5m', 3, 'web.17c0']);
  const single: Event = { ...ev, count: undefined, lastTimestamp: null, firstTimestamp: null, eventTime: ago(10), source: {}, reportingComponent: 'default-scheduler', reportingInstance: '' };
  assert.deepEqual(eventPrinter.cells(as(single), now).slice(0, 9), ['10s', 'Normal', 'Pulled', 'pod/web', 'spec.containers{app}', 'default-scheduler', 'Successfully pulled image "nginx"', '10s', 1]);
  const series: Event = { ...ev, series: { count: 7, lastObservedTime: ago(2) } };
  assert.deepEqual([eventPrinter.cells(as(series), now)[0], eventPrinter.cells(as(series), now)[8]], ['2s', 7]);
  assert.deepEqual(eventPrinter.columns.map((c) => [c.name, c.priority]), [
    ['Last Seen', 0],
    ['Type', 0],
    ['Reason', 0],
    ['Object', 0],
    ['Subobject', 1],
    ['Source', 1],
    ['Message', 0],
    ['First Seen', 1],
    ['Count', 1],
    ['Name', 1],
  ]);
});
