import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseImageReference, referenceMatches } from './reference.js';

test('references split into registry, repository, tag and digest', () => {
  assert.deepEqual(parseImageReference('registry.k8s.io/e2e-test-images/agnhost:2.52'), {
    registry: 'registry.k8s.io',
    repository: 'e2e-test-images/agnhost',
    tag: '2.52',
    digest: undefined,
  });
  assert.deepEqual(parseImageReference('localhost:5000/app@sha256:abc'), {
    registry: 'localhost:5000',
    repository: 'app',
    tag: undefined,
    digest: 'sha256:abc',
  });
});

test('Docker Hub names lose the implicit library/ prefix', () => {
  assert.equal(parseImageReference('busybox').repository, 'busybox');
  assert.equal(parseImageReference('docker.io/library/busybox:1.36').repository, 'busybox');
  assert.equal(parseImageReference('docker.io/library/busybox:1.36').registry, 'docker.io');
});

test('registry and tag count for matching only when the pattern names them', () => {
  const any = parseImageReference('e2e-test-images/agnhost');
  assert.ok(referenceMatches(any, parseImageReference('registry.k8s.io/e2e-test-images/agnhost:2.39')));
  assert.ok(referenceMatches(any, parseImageReference('k8s.gcr.io/e2e-test-images/agnhost:2.20')));
  const pinned = parseImageReference('quay.io/team/app:1.0');
  assert.ok(referenceMatches(pinned, parseImageReference('quay.io/team/app:1.0')));
  assert.ok(!referenceMatches(pinned, parseImageReference('quay.io/team/app:2.0')));
  assert.ok(!referenceMatches(pinned, parseImageReference('ghcr.io/team/app:1.0')));
  assert.ok(referenceMatches(parseImageReference('busybox:latest'), parseImageReference('busybox')));
});

test('malformed references are rejected with the reason', () => {
  assert.throws(() => parseImageReference('UPPER/case'), /invalid repository component "UPPER"/);
  assert.throws(() => parseImageReference(''), /empty/);
});
