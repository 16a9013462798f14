import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../objects.js';
import { printerFor } from './registry.js';
import { fallbackPrinter } from './fallback.js';

const now = new Date('2024-05-01T12:00:00Z');
const as = (o: unknown) => o as KubeObject;

test('printerFor knows every served resource and falls back to Name / Created At', () => {
  for (const plural of ['namespaces', 'nodes', 'pods', 'services', 'endpoints', 'endpointslices', 'events', 'configmaps', 'secrets', 'serviceaccounts', 'deployments', 'replicasets', 'leases']) {
    const p = printerFor(plural);
    assert.notEqual(p, fallbackPrinter, plural);
    const nameCol = p.columns.find((c) => c.name === 'Name')!;
    assert.equal(nameCol.format, 'name', `${plural} marks its Name column`);
    assert.ok(p.columns.every((c) => c.description.length > 0), `${plural} has descriptions`);
  }
  const fb = printerFor('widgets');
  assert.deepEqual(fb.columns.map((c) => [c.name, c.type, c.format]), [
    ['Name', 'string', 'name'],
    ['Created At', 'date', ''],
  ]);
  assert.deepEqual(fb.cells(as({ metadata: { name: 'w', creationTimestamp: '2024-05-01T11:00:00Z' } }), now), ['w', '2024-05-01T11:00:00Z']);
  assert.equal(printerFor('toString'), fallbackPrinter, 'no prototype keys leak through');
});
