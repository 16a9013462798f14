import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findDuplicateYamlKeys } from './yamlDuplicates.js';

describe('findDuplicateYamlKeys', () => {
  it('reports repeated keys depth first with the line of the repeated value (upstream TestFieldValidation YAML body)', () => {
    const body = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: d',
      '  labels:',
      '    app: nginx',
      'spec:',
      '  unknown1: val1',
      '  unknownDupe: valDupe',
      '  unknownDupe: valDupe2',
      '  paused: true',
      '  paused: false',
      '  selector:',
      '    matchLabels:',
      '      app: nginx',
      '  template:',
      '    metadata:',
      '      labels:',
      '        app: nginx',
      '    spec:',
      '      containers:',
      '      - name: nginx',
      '        image: nginx:latest',
      '        unknownNested: val1',
      '        imagePullPolicy: Always',
      '        imagePullPolicy: Never',
    ].join('\n');
    assert.deepEqual(findDuplicateYamlKeys(body), [
      'line 10: key "unknownDupe" already set in map',
      'line 12: key "paused" already set in map',
      'line 26: key "imagePullPolicy" already set in map',
    ]);
  });

  it('reads JSON too (kubectl sends apply-patch bodies as JSON) and quotes non-string keys as Go does', () => {
    assert.deepEqual(findDuplicateYamlKeys('{"a":1,"a":2}'), ['line 1: key "a" already set in map']);
    assert.deepEqual(findDuplicateYamlKeys('a: 1\n9: 2\n9: 4\n'), ['line 3: key 9 already set in map']);
  });

  it('finds nothing in a document without repeats or one that does not parse', () => {
    assert.deepEqual(findDuplicateYamlKeys('a: 1\nb: {c: 2}\n'), []);
    assert.deepEqual(findDuplicateYamlKeys('a: [\n'), []);
  });
});
