import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ObjectMeta } from '../meta.js';
import { errorString, type FieldError } from '../field.js';
import { validateObjectMeta, validateObjectMetaUpdate } from './objectmeta.js';

const msgs = (errs: FieldError[]) => errs.map(errorString);

const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

const namespaced = { namespaced: true, nameRule: 'DNS1123Subdomain' } as const;

test('validateObjectMeta reports upstream messages for common metadata mistakes', () => {
  const cases: { name: string; meta: ObjectMeta; opts?: Parameters<typeof validateObjectMeta>[1]; want: string[] }[] = [
    { name: 'a valid namespaced object passes', meta: { name: 'web', namespace: 'default', labels: { app: 'web' } }, want: [] },
    { name: 'a missing name asks for name or generateName', meta: { namespace: 'default' }, want: ['metadata.name: Required value: name or generateName is required'] },
    { name: 'an uppercase name breaks the subdomain rule', meta: { name: 'Web', namespace: 'default' }, want: [`metadata.name: Invalid value: "Web": ${SUBDOMAIN_MSG}`] },
    {
      name: 'a namespace kind uses the DNS-1123 label rule',
      meta: { name: 'a.b' },
      opts: { namespaced: false, nameRule: 'DNS1123Label' },
      want: [`metadata.name: Invalid value: "a.b": ${LABEL_MSG}`],
    },
    {
      name: 'a service name uses the DNS-1035 rule (no leading digit)',
      meta: { name: '1web', namespace: 'default' },
      opts: { namespaced: true, nameRule: 'DNS1035Label' },
      want: [
        `metadata.name: Invalid value: "1web": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
      ],
    },
    { name: 'a namespaced kind requires a namespace', meta: { name: 'web' }, want: ['metadata.namespace: Required value'] },
    {
      name: 'a cluster-scoped kind forbids a namespace',
      meta: { name: 'n1', namespace: 'default' },
      opts: { namespaced: false, nameRule: 'DNS1123Subdomain' },
      want: ['metadata.namespace: Forbidden: not allowed on this type'],
    },
    { name: 'a generateName with a trailing dash is fine', meta: { generateName: 'web-', name: 'web-abcde', namespace: 'default' }, want: [] },
    {
      name: 'a bad generateName is reported under generateName',
      meta: { generateName: 'Web-', name: 'web-x', namespace: 'default' },
      want: [`metadata.generateName: Invalid value: "Web-": ${SUBDOMAIN_MSG}`],
    },
    { name: 'a negative generation is invalid', meta: { name: 'web', namespace: 'd', generation: -1 }, want: ['metadata.generation: Invalid value: -1: must be greater than or equal to 0'] },
    {
      name: 'a bad label value is reported at the labels map',
      meta: { name: 'web', namespace: 'd', labels: { app: 'has space' } },
      want: [`metadata.labels: Invalid value: "has space": ${LABEL_VALUE_MSG}`],
    },
    {
      name: 'an unqualified non-standard finalizer is rejected',
      meta: { name: 'web', namespace: 'd', finalizers: ['foo'] },
      want: ['metadata.finalizers[0]: Invalid value: "foo": name is neither a standard finalizer name nor is it fully qualified'],
    },
    { name: 'standard and qualified finalizers pass', meta: { name: 'web', namespace: 'd', finalizers: ['kubernetes', 'example.com/keep'] }, want: [] },
    {
      name: 'owner references need version, kind, name and uid',
      meta: { name: 'web', namespace: 'd', ownerReferences: [{ apiVersion: '', kind: '', name: '', uid: '' }] },
      want: [
        'metadata.ownerReferences.apiVersion: Invalid value: "": version must not be empty',
        'metadata.ownerReferences.kind: Invalid value: "": kind must not be empty',
        'metadata.ownerReferences.name: Invalid value: "": name must not be empty',
        'metadata.ownerReferences.uid: Invalid value: "": uid must not be empty',
      ],
    },
    {
      name: 'annotations over 256 KiB are too long',
      meta: { name: 'web', namespace: 'd', annotations: { big: 'x'.repeat(262142) } },
      want: ['metadata.annotations: Too long: may not be more than 262144 bytes'],
    },
  ];
  for (const c of cases) assert.deepEqual(msgs(validateObjectMeta(c.meta, c.opts ?? namespaced)), c.want, c.name);
});

test('validateObjectMetaUpdate keeps identity fields immutable and requires a resourceVersion', () => {
  const old: ObjectMeta = { name: 'web', namespace: 'default', uid: 'u1', resourceVersion: '5', creationTimestamp: '2024-01-02T03:04:05Z', generation: 3 };
  const cases: { name: string; next: ObjectMeta; want: string[] }[] = [
    { name: 'an unchanged object passes', next: { ...old }, want: [] },
    { name: 'labels may change', next: { ...old, labels: { tier: 'web' } }, want: [] },
    { name: 'the name is immutable', next: { ...old, name: 'web2' }, want: ['metadata.name: Invalid value: "web2": field is immutable'] },
    { name: 'the uid is immutable', next: { ...old, uid: 'u2' }, want: ['metadata.uid: Invalid value: "u2": field is immutable'] },
    {
      name: 'the creation time is immutable and printed as Go time',
      next: { ...old, creationTimestamp: '2025-01-02T03:04:05Z' },
      want: ['metadata.creationTimestamp: Invalid value: 2025-01-02 03:04:05 +0000 UTC: field is immutable'],
    },
    { name: 'a missing resourceVersion is invalid', next: { ...old, resourceVersion: '' }, want: ['metadata.resourceVersion: Invalid value: "": must be specified for an update'] },
    { name: 'the generation may not go back', next: { ...old, generation: 2 }, want: ['metadata.generation: Invalid value: 2: must not be decremented'] },
  ];
  for (const c of cases) assert.deepEqual(msgs(validateObjectMetaUpdate(c.next, old)), c.want, c.name);
});

test('validateObjectMetaUpdate forbids new finalizers once deletion started', () => {
  const old: ObjectMeta = { name: 'x', namespace: 'd', resourceVersion: '1', deletionTimestamp: '2024-01-01T00:00:00Z', finalizers: ['a.io/x'] };
  assert.deepEqual(msgs(validateObjectMetaUpdate({ ...old, finalizers: ['a.io/x', 'b.io/y'] }, old)), [
    'metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"b.io/y"}',
  ]);
});
