// The OpenAPI v2 (swagger 2.0) document of everything served, as kube-apiserver serves it on
// /openapi/v2: `definitions` generated from api/schema under the upstream names, with `$ref`s to
// `#/definitions/…`, types, items, additionalProperties, required fields, enums, defaults, the
// patch and list vendor extensions and `x-kubernetes-group-version-kind` on the kinds; and `paths`
// converted from the OpenAPI v3 documents (same operations, parameters and GVKs).
//
// kubectl reads it (protobuf, see gnostic.ts) for client-side validation — the `kind: List` files
// `kubectl get -o yaml` writes, which the v3 check does not cover — through kube-openapi
// `pkg/util/proto`, which only accepts a `$ref` without a type or properties, arrays with one
// item schema, and takes `type: object` with properties as a struct (unknown fields rejected)
// and without as a map.
import type { ResourceType } from '../../api/index.js';
import type { StructNode } from '../../api/schema/index.js';
import {
  groupVersionDocument,
  groupVersions,
  INT_OR_STRING,
  MICRO_TIME,
  PATCH,
  QUANTITY,
  RAW_EXTENSION,
  servedStructs,
  structSchemaWith,
  TIME,
  WATCH_EVENT,
  type JsonObject,
} from './document.js';

export const SWAGGER_VERSION = '2.0';
const DEF = '#/definitions/';
const V3_REF = '#/components/schemas/';
const ref = (name: string): JsonObject => ({ $ref: DEF + name });

/** The non-struct definitions properties refer to, as upstream's swagger writes them. */
const SCALAR_DEFINITIONS: Record<string, JsonObject> = {
  [INT_OR_STRING]: { type: 'string', format: 'int-or-string' },
  [QUANTITY]: { type: 'string' },
  [TIME]: { type: 'string', format: 'date-time' },
  [MICRO_TIME]: { type: 'string', format: 'date-time' },
  'io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1': { type: 'object' },
  [RAW_EXTENSION]: { type: 'object' },
  [PATCH]: { type: 'object' },
  [WATCH_EVENT]: { type: 'object', required: ['type', 'object'], properties: { object: ref(RAW_EXTENSION), type: { type: 'string' } } },
};

/** The definition of a struct (every struct has `properties`, so kube-openapi reads it as a kind). */
export function structDefinition(node: StructNode): JsonObject {
  return structSchemaWith(node, { refTo: ref });
}

// ---------------------------------------------------------------- paths, from the v3 documents

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const v2Ref = (s: unknown): JsonObject => {
  const r = isObject(s) ? s['$ref'] : undefined;
  if (typeof r !== 'string' || !r.startsWith(V3_REF)) throw new Error(`openapi v2: expected a $ref to a v3 schema, got ${JSON.stringify(s)}`);
  return ref(r.slice(V3_REF.length));
};

/** A v3 query or path parameter as v2 writes it (the schema's type inline). */
function parameter(p: JsonObject): JsonObject {
  const { schema, ...rest } = p;
  return { ...rest, ...(isObject(schema) ? schema : {}) };
}

function operation(op: JsonObject): JsonObject {
  const { parameters, requestBody, responses, ...rest } = op;
  const params = Array.isArray(parameters) ? parameters.filter(isObject).map(parameter) : [];
  let consumes: string[] | undefined;
  if (isObject(requestBody) && isObject(requestBody['content'])) {
    const content = requestBody['content'];
    consumes = Object.keys(content);
    const first = content[consumes[0]!];
    params.unshift({ name: 'body', in: 'body', ...(requestBody['required'] === true ? { required: true } : {}), schema: v2Ref(isObject(first) ? first['schema'] : undefined) });
  }
  const produces = new Set<string>();
  const out: JsonObject = {};
  for (const [code, r] of Object.entries(isObject(responses) ? responses : {})) {
    if (!isObject(r)) continue;
    const content = isObject(r['content']) ? r['content'] : {};
    const types = Object.keys(content);
    for (const t of types) produces.add(t);
    const first = types.length ? content[types[0]!] : undefined;
    out[code] = { description: r['description'] ?? '', ...(first !== undefined ? { schema: v2Ref(isObject(first) ? first['schema'] : undefined) } : {}) };
  }
  return {
    ...rest,
    ...(consumes ? { consumes } : {}),
    ...(produces.size ? { produces: [...produces] } : {}),
    schemes: ['https'],
    ...(params.length ? { parameters: params } : {}),
    responses: out,
  };
}

function pathItem(item: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(item)) {
    if (k === 'parameters' && Array.isArray(v)) out[k] = v.filter(isObject).map(parameter);
    else if (isObject(v)) out[k] = operation(v);
  }
  return out;
}

const byKey = (o: Record<string, JsonObject>): Record<string, JsonObject> => Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]!]));

/** The swagger 2.0 document of these types: every operation, and every definition they use. */
export function swaggerDocument(types: readonly ResourceType[]): JsonObject {
  const definitions: Record<string, JsonObject> = { ...SCALAR_DEFINITIONS };
  for (const s of servedStructs(types)) definitions[s.name] = structDefinition(s);
  const paths: Record<string, JsonObject> = {};
  for (const gv of groupVersions(types)) {
    const v3 = groupVersionDocument(types, gv)['paths'];
    for (const [p, item] of Object.entries(isObject(v3) ? v3 : {})) if (isObject(item)) paths[p] = pathItem(item);
  }
  return {
    swagger: SWAGGER_VERSION,
    info: { title: 'Kubernetes', version: 'v1.32.4' },
    paths: byKey(paths),
    definitions: byKey(definitions),
    securityDefinitions: { BearerToken: { type: 'apiKey', description: 'Bearer Token authentication', name: 'authorization', in: 'header' } },
    security: [{ BearerToken: [] }],
  };
}
