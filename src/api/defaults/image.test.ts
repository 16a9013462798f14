import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultPullPolicy, parseImageReference } from './image.js';

test('imagePullPolicy defaults to Always only for :latest or an untagged, undigested image', () => {
  const cases: [image: string, policy: 'Always' | 'IfNotPresent'][] = [
    ['nginx', 'Always'],
    ['nginx:latest', 'Always'],
    ['docker.io/library/nginx', 'Always'],
    ['localhost:5000/app', 'Always'],
    ['nginx:1.27', 'IfNotPresent'],
    ['gasbugs/http-go', 'Always'],
    ['registry.k8s.io/pause:3.10', 'IfNotPresent'],
    ['localhost:5000/app:v2', 'IfNotPresent'],
    [`nginx@sha256:${'a'.repeat(64)}`, 'IfNotPresent'],
    [`nginx:latest@sha256:${'a'.repeat(64)}`, 'Always'],
    ['Nginx', 'IfNotPresent'],
    ['', 'IfNotPresent'],
  ];
  for (const [image, policy] of cases) assert.equal(defaultPullPolicy(image), policy, image);
});

test('parseImageReference splits name, tag and digest', () => {
  assert.deepEqual(parseImageReference('registry.example.com:443/team/app:v1'), { name: 'registry.example.com:443/team/app', tag: 'v1', digest: '' });
  assert.equal(parseImageReference('team/UPPER'), undefined, 'repository paths must be lowercase');
  assert.equal(parseImageReference('Registry/app')?.name, 'Registry/app', 'an uppercase first component is a registry host');
});
