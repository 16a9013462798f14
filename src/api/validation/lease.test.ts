import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Lease } from '../coordination.js';
import type { Scale } from '../apps.js';
import { errorString, type FieldError } from '../field.js';
import { validateLease } from './lease.js';
import { validateScale } from './scale.js';

const msgs = (errs: FieldError[]) => errs.map(errorString);
const meta = (name: string) => ({ name, namespace: 'default' });

test('leases and scales check their numbers', () => {
  const lease: Lease = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: meta('node-1'), spec: { leaseDurationSeconds: 0, leaseTransitions: -1 } };
  assert.deepEqual(msgs(validateLease(lease)), [
    'spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0',
    'spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0',
  ]);
  const scale: Scale = { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: meta('web'), spec: { replicas: -2 } };
  assert.deepEqual(msgs(validateScale(scale)), ['spec.replicas: Invalid value: -2: must be greater than or equal to 0']);
});
