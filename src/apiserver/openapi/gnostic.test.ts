import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import protobuf from 'protobufjs';
import YAML from 'yaml';
import { allResourceTypes } from '../../api/index.js';
import { decodeSwaggerProto, encodeSwaggerProto, gnosticDocumentType, type GnosticMessage } from './gnostic.js';
import { swaggerDocument } from './swagger.js';

const doc = swaggerDocument(allResourceTypes);
const bytes = encodeSwaggerProto(doc);

/** The fields of one protobuf message as they are on the wire: number → raw values (bytes for length-delimited, numbers for varints). */
function wire(buf: Uint8Array): Map<number, (Uint8Array | number)[]> {
  const r = protobuf.Reader.create(buf);
  const out = new Map<number, (Uint8Array | number)[]>();
  while (r.pos < r.len) {
    const tag = r.uint32();
    const [no, type] = [tag >>> 3, tag & 7];
    const value = type === 2 ? r.bytes() : type === 0 ? r.uint32() : (r.skipType(type), NaN);
    out.set(no, [...(out.get(no) ?? []), value]);
  }
  return out;
}
const text = (v: Uint8Array | number | undefined) => Buffer.from(v as Uint8Array).toString('utf8');
const one = (m: Map<number, (Uint8Array | number)[]>, no: number) => {
  const v = m.get(no);
  assert.equal(v?.length, 1, `field ${no}`);
  return v[0] as Uint8Array;
};
/** Entries of a repeated Named* message field (name = 1, value = 2), by name. */
const named = (m: Map<number, (Uint8Array | number)[]>, no: number) =>
  new Map((m.get(no) ?? []).map((e) => {
    const f = wire(e as Uint8Array);
    return [text(one(f, 1)), wire(one(f, 2))] as const;
  }));

describe('the protobuf OpenAPI v2 document', () => {
  it('has the published gnostic field numbers (read off the wire, without the schema)', () => {
    const d = wire(bytes);
    assert.equal(text(one(d, 1)), '2.0'); // Document.swagger = 1
    assert.equal(text(one(wire(one(d, 2)), 1)), 'Kubernetes'); // Document.info = 2, Info.title = 1
    const defs = named(wire(one(d, 9)), 1); // Document.definitions = 9, Definitions.additional_properties = 1
    const svc = defs.get('io.k8s.api.core.v1.Service')!;
    assert.deepEqual(wire(one(svc, 22)).get(1)!.map(text), ['object']); // Schema.type = 22, TypeItem.value = 1
    const props = named(wire(one(svc, 25)), 1); // Schema.properties = 25, Properties.additional_properties = 1
    assert.deepEqual([...props.keys()], ['apiVersion', 'kind', 'metadata', 'spec', 'status']);
    assert.equal(text(one(props.get('spec')!, 1)), '#/definitions/io.k8s.api.core.v1.ServiceSpec'); // Schema._ref = 1
    const ext = named(svc, 31); // Schema.vendor_extension = 31, NamedAny {name = 1, value = 2}
    const gvkYaml = text(one(ext.get('x-kubernetes-group-version-kind')!, 2)); // Any.yaml = 2
    assert.deepEqual(YAML.parse(gvkYaml), [{ group: '', kind: 'Service', version: 'v1' }]);
    const spec = named(wire(one(defs.get('io.k8s.api.core.v1.ServiceSpec')!, 25)), 1);
    const ports = spec.get('ports')!;
    const item = wire(one(wire(one(ports, 23)), 1)); // Schema.items = 23, ItemsItem.schema = 1
    assert.equal(text(one(item, 1)), '#/definitions/io.k8s.api.core.v1.ServicePort');
    assert.equal(text(one(named(ports, 31).get('x-kubernetes-patch-merge-key')!, 2)), 'port\n');
    const selector = spec.get('selector')!;
    const values = wire(one(wire(one(selector, 21)), 1)); // Schema.additional_properties = 21, AdditionalPropertiesItem.schema = 1
    assert.deepEqual(wire(one(values, 22)).get(1)!.map(text), ['string']);
    assert.deepEqual(props.get('metadata')!.has(22), false, 'a $ref carries no type');
    assert.deepEqual(defs.get('io.k8s.api.core.v1.ServicePort')!.get(19)!.map(text), ['port']); // Schema.required = 19

    const paths = named(wire(one(d, 8)), 2); // Document.paths = 8, Paths.path = 2
    const patch = wire(one(paths.get('/api/v1/namespaces/{namespace}/services/{name}')!, 8)); // PathItem.patch = 8
    assert.equal(text(one(patch, 5)), 'patchCoreV1NamespacedService'); // Operation.operation_id = 5
    assert.deepEqual(YAML.parse(text(one(named(patch, 13).get('x-kubernetes-group-version-kind')!, 2))), { group: '', version: 'v1', kind: 'Service' });
    // Operation.parameters = 8 → ParametersItem.parameter = 1 → Parameter.non_body_parameter = 2 → query_parameter_sub_schema = 3, name = 4
    const queryNames = patch
      .get(8)!
      .map((p) => wire(one(wire(p as Uint8Array), 1)))
      .filter((param) => param.has(2))
      .map((param) => wire(one(param, 2)))
      .filter((nb) => nb.has(3))
      .map((nb) => text(one(wire(one(nb, 3)), 4)));
    assert.ok(patch.get(8)!.some((p) => wire(one(wire(p as Uint8Array), 1)).has(1)), 'the body is a BodyParameter (Parameter.body_parameter = 1)');
    assert.ok(queryNames.includes('fieldValidation'), queryNames.join());
  });

  it('decodes back, with the same protobufjs schema, to the swagger document it was encoded from', () => {
    assert.deepEqual(decodeSwaggerProto(bytes), doc);
  });

  it('is a document kube-openapi builds models from, with every served kind found by its GVK', () => {
    const type = gnosticDocumentType();
    const m = type.toObject(type.decode(bytes), { longs: Number }) as GnosticMessage;
    const defs = ((m['definitions'] as GnosticMessage)['additional_properties'] as GnosticMessage[]).map((n) => [n['name'] as string, n['value'] as GnosticMessage] as const);
    const names = new Set(defs.map(([n]) => n));
    const byGvk = new Map<string, string>();
    // proto.Definitions.ParseSchema of kube-openapi pkg/util/proto, as rules.
    const parse = (s: GnosticMessage, path: string): void => {
      const types = ((s['type'] as GnosticMessage | undefined)?.['value'] as string[] | undefined) ?? [];
      const props = (s['properties'] as GnosticMessage | undefined)?.['additional_properties'] as GnosticMessage[] | undefined;
      const ref = s['_ref'] as string | undefined;
      if (ref) {
        assert.equal(types.length, 0, `${path}: definition reference can't have a type`);
        assert.equal(props?.length ?? 0, 0, `${path}: unallowed embedded type definition`);
        assert.ok(ref.startsWith('#/definitions/') && names.has(ref.slice('#/definitions/'.length)), `${path}: unknown model in reference ${ref}`);
        return;
      }
      assert.ok(types.length <= 1, `${path}: definitions with multiple types aren't supported`);
      const t = types[0];
      if (t === 'array') {
        const items = (s['items'] as GnosticMessage | undefined)?.['schema'] as GnosticMessage[] | undefined;
        assert.equal(items?.length, 1, `${path}: array should have exactly one sub-item`);
        return parse(items![0]!, `${path}[]`);
      }
      if (t === 'object' && !props) {
        const sub = (s['additional_properties'] as GnosticMessage | undefined)?.['schema'] as GnosticMessage | undefined;
        if (sub) parse(sub, `${path}{}`);
        return;
      }
      if (props) {
        for (const p of props) parse(p['value'] as GnosticMessage, `${path}.${String(p['name'])}`);
        return;
      }
      assert.ok(t === undefined || ['string', 'number', 'integer', 'boolean'].includes(t), `${path}: Unknown primitive type: ${t}`);
    };
    for (const [name, s] of defs) {
      parse(s, name);
      for (const ext of (s['vendor_extension'] as GnosticMessage[] | undefined) ?? []) {
        if (ext['name'] !== 'x-kubernetes-group-version-kind') continue;
        // kubectl's parseGroupVersionKind: a YAML list of maps with string group, version and kind.
        const list = YAML.parse((ext['value'] as GnosticMessage)['yaml'] as string, { version: '1.1' }) as unknown;
        assert.ok(Array.isArray(list), name);
        for (const g of list as Record<string, unknown>[]) {
          assert.ok(typeof g['group'] === 'string' && typeof g['version'] === 'string' && typeof g['kind'] === 'string', name);
          byGvk.set(`${String(g['group'])}/${String(g['version'])}/${String(g['kind'])}`, name);
        }
      }
    }
    for (const t of allResourceTypes) {
      const prefix = t.group ? `io.k8s.api.${t.group.split('.')[0]}.${t.version}` : `io.k8s.api.core.${t.version}`;
      assert.equal(byGvk.get(`${t.group}/${t.version}/${t.kind}`), `${prefix}.${t.kind}`);
      assert.equal(byGvk.get(`${t.group}/${t.version}/${t.listKind}`), `${prefix}.${t.listKind}`);
    }
  });

  it('refuses what gnostic cannot carry instead of dropping it', () => {
    assert.throws(() => encodeSwaggerProto({ swagger: '2.0', definitions: { X: { type: 'object', properties: {}, nullable: true } } }), /X\.nullable has no gnostic Schema field/);
    assert.throws(() => encodeSwaggerProto({ swagger: '2.0', openapi: '3.0.0' }), /openapi has no gnostic Document field/);
  });

  it('writes vendor extension values as YAML that YAML 1.1 readers read back unchanged', () => {
    const enc = encodeSwaggerProto({
      swagger: '2.0',
      definitions: { X: { type: 'string', enum: ['on', 'No', '08', ''], default: 'yes', 'x-k': [{ group: '' }] } },
    });
    const back = decodeSwaggerProto(enc);
    assert.deepEqual(back['definitions'], { X: { type: 'string', enum: ['on', 'No', '08', ''], default: 'yes', 'x-k': [{ group: '' }] } });
    const type = gnosticDocumentType();
    const raw = type.toObject(type.decode(enc)) as { definitions: { additional_properties: { value: { enum: { yaml: string }[] } }[] } };
    assert.deepEqual(raw.definitions.additional_properties[0]!.value.enum.map((a) => a.yaml), ['"on"\n', '"No"\n', '"08"\n', '""\n']);
  });
});
