import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Event } from '../core.js';
import { errorString, type FieldError } from '../field.js';
import { validateEvent } from './event.js';

const msgs = (errs: FieldError[]) => errs.map(errorString);

test('events: the involved object namespace must match the event namespace', () => {
  const ev = (involvedNs: string): Event => ({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'web.17a', namespace: 'default' },
    involvedObject: { kind: 'Pod', name: 'web', namespace: involvedNs },
    reason: 'Scheduled',
    message: 'ok',
    type: 'Normal',
  });
  assert.deepEqual(validateEvent(ev('default')), []);
  assert.deepEqual(msgs(validateEvent(ev('other'))), ['involvedObject.namespace: Invalid value: "other": does not match event.namespace']);
  assert.deepEqual(
    msgs(validateEvent({ ...ev('default'), eventTime: '2024-01-01T00:00:00.000000Z' })),
    [
      'reportingComponent: Required value',
      'reportingComponent: Invalid value: "": name part must be non-empty',
      `reportingComponent: Invalid value: "": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
      'reportingInstance: Required value',
      'action: Required value',
    ],
    'new-style events need reporting fields (upstream also runs the qualified-name check on an empty one)',
  );
});
