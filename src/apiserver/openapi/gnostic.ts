// The protobuf form of an OpenAPI v2 document that kubectl asks /openapi/v2 for
// (`Accept: application/com.github.proto-openapi.spec.v2@v1.0+protobuf`): gnostic's
// `openapi.v2.Document` (github.com/google/gnostic-models openapiv2/OpenAPIv2.proto). client-go
// `proto.Unmarshal`s it and kube-openapi `pkg/util/proto` builds its models from it, reading vendor
// extensions from `NamedAny.value.yaml`. Only the messages and fields a Kubernetes swagger document
// uses are declared here, with the published field numbers; everything else a reader skips.
import protobuf from 'protobufjs';
import YAML from 'yaml';
import type { JsonObject } from './document.js';

/** The gnostic messages kubeloop writes (field names and numbers as published; keepCase). */
const OPENAPI_V2_PROTO = `
syntax = "proto3";
package openapi.v2;

// google.protobuf.Any (same wire form; kubeloop never sets it, kube-openapi reads Any.yaml).
message GoogleProtobufAny { string type_url = 1; bytes value = 2; }

message Any { GoogleProtobufAny value = 1; string yaml = 2; }
message NamedAny { string name = 1; Any value = 2; }

message Document {
  string swagger = 1;
  Info info = 2;
  string host = 3;
  string base_path = 4;
  repeated string schemes = 5;
  repeated string consumes = 6;
  repeated string produces = 7;
  Paths paths = 8;
  Definitions definitions = 9;
  repeated SecurityRequirement security = 12;
  SecurityDefinitions security_definitions = 13;
  repeated NamedAny vendor_extension = 16;
}

message Info {
  string title = 1;
  string version = 2;
  string description = 3;
  string terms_of_service = 4;
  repeated NamedAny vendor_extension = 7;
}

message Paths { repeated NamedAny vendor_extension = 1; repeated NamedPathItem path = 2; }
message NamedPathItem { string name = 1; PathItem value = 2; }
message PathItem {
  string _ref = 1;
  Operation get = 2;
  Operation put = 3;
  Operation post = 4;
  Operation delete = 5;
  Operation options = 6;
  Operation head = 7;
  Operation patch = 8;
  repeated ParametersItem parameters = 9;
  repeated NamedAny vendor_extension = 10;
}

message Operation {
  repeated string tags = 1;
  string summary = 2;
  string description = 3;
  string operation_id = 5;
  repeated string produces = 6;
  repeated string consumes = 7;
  repeated ParametersItem parameters = 8;
  Responses responses = 9;
  repeated string schemes = 10;
  bool deprecated = 11;
  repeated SecurityRequirement security = 12;
  repeated NamedAny vendor_extension = 13;
}

message ParametersItem { oneof oneof { Parameter parameter = 1; JsonReference json_reference = 2; } }
message JsonReference { string _ref = 1; string description = 2; }
message Parameter { oneof oneof { BodyParameter body_parameter = 1; NonBodyParameter non_body_parameter = 2; } }
message BodyParameter {
  string description = 1;
  string name = 2;
  string in = 3;
  bool required = 4;
  Schema schema = 5;
  repeated NamedAny vendor_extension = 6;
}
message NonBodyParameter {
  oneof oneof {
    QueryParameterSubSchema query_parameter_sub_schema = 3;
    PathParameterSubSchema path_parameter_sub_schema = 4;
  }
}
message QueryParameterSubSchema {
  bool required = 1;
  string in = 2;
  string description = 3;
  string name = 4;
  bool allow_empty_value = 5;
  string type = 6;
  string format = 7;
  string collection_format = 9;
  Any default = 10;
  bool unique_items = 20;
  repeated Any enum = 21;
  repeated NamedAny vendor_extension = 23;
}
message PathParameterSubSchema {
  bool required = 1;
  string in = 2;
  string description = 3;
  string name = 4;
  string type = 5;
  string format = 6;
  string collection_format = 8;
  Any default = 9;
  bool unique_items = 19;
  repeated Any enum = 20;
  repeated NamedAny vendor_extension = 22;
}

message Responses { repeated NamedResponseValue response_code = 1; repeated NamedAny vendor_extension = 2; }
message NamedResponseValue { string name = 1; ResponseValue value = 2; }
message ResponseValue { oneof oneof { Response response = 1; JsonReference json_reference = 2; } }
message Response { string description = 1; SchemaItem schema = 2; repeated NamedAny vendor_extension = 5; }
message SchemaItem { oneof oneof { Schema schema = 1; } }

message Schema {
  string _ref = 1;
  string format = 2;
  string title = 3;
  string description = 4;
  Any default = 5;
  double multiple_of = 6;
  double maximum = 7;
  bool exclusive_maximum = 8;
  double minimum = 9;
  bool exclusive_minimum = 10;
  int64 max_length = 11;
  int64 min_length = 12;
  string pattern = 13;
  int64 max_items = 14;
  int64 min_items = 15;
  bool unique_items = 16;
  int64 max_properties = 17;
  int64 min_properties = 18;
  repeated string required = 19;
  repeated Any enum = 20;
  AdditionalPropertiesItem additional_properties = 21;
  TypeItem type = 22;
  ItemsItem items = 23;
  repeated Schema all_of = 24;
  Properties properties = 25;
  string discriminator = 26;
  bool read_only = 27;
  Any example = 30;
  repeated NamedAny vendor_extension = 31;
}
message AdditionalPropertiesItem { oneof oneof { Schema schema = 1; bool boolean = 2; } }
message TypeItem { repeated string value = 1; }
message ItemsItem { repeated Schema schema = 1; }
message Properties { repeated NamedSchema additional_properties = 1; }
message NamedSchema { string name = 1; Schema value = 2; }
message Definitions { repeated NamedSchema additional_properties = 1; }

message SecurityDefinitions { repeated NamedSecurityDefinitionsItem additional_properties = 1; }
message NamedSecurityDefinitionsItem { string name = 1; SecurityDefinitionsItem value = 2; }
message SecurityDefinitionsItem { oneof oneof { ApiKeySecurity api_key_security = 2; } }
message ApiKeySecurity { string type = 1; string name = 2; string in = 3; string description = 4; repeated NamedAny vendor_extension = 5; }
message SecurityRequirement { repeated NamedStringArray additional_properties = 1; }
message NamedStringArray { string name = 1; StringArray value = 2; }
message StringArray { repeated string value = 1; }
`;

/** A gnostic message as a plain object (field names as in the .proto). */
export type GnosticMessage = { [field: string]: unknown };

let documentType: protobuf.Type | undefined;

/** The `openapi.v2.Document` message type. */
export function gnosticDocumentType(): protobuf.Type {
  if (documentType) return documentType;
  const root = protobuf.parse(OPENAPI_V2_PROTO, new protobuf.Root(), { keepCase: true }).root;
  root.resolveAll();
  documentType = root.lookupType('openapi.v2.Document');
  return documentType;
}

// ---------------------------------------------------------------- swagger JSON → gnostic

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const obj = (v: unknown, where: string): JsonObject => {
  if (!isObject(v)) throw new Error(`openapi v2: ${where} is not an object`);
  return v;
};
const arr = (v: unknown, where: string): unknown[] => {
  if (!Array.isArray(v)) throw new Error(`openapi v2: ${where} is not an array`);
  return v;
};
const str = (v: unknown, where: string): string => {
  if (typeof v !== 'string') throw new Error(`openapi v2: ${where} is not a string`);
  return v;
};

/** gnostic's Any: the value as YAML (YAML 1.1 quoting, so yaml.v2 reads back the same scalars). */
function any(v: unknown): GnosticMessage {
  return { yaml: YAML.stringify(v, { version: '1.1' }) };
}

function extension(name: string, v: unknown): GnosticMessage {
  return { name, value: any(v) };
}

/** Keys copied as they are, by their gnostic field name. */
const SCHEMA_SCALARS: Record<string, string> = {
  format: 'format',
  title: 'title',
  description: 'description',
  pattern: 'pattern',
  discriminator: 'discriminator',
  readOnly: 'read_only',
  uniqueItems: 'unique_items',
  multipleOf: 'multiple_of',
  maximum: 'maximum',
  exclusiveMaximum: 'exclusive_maximum',
  minimum: 'minimum',
  exclusiveMinimum: 'exclusive_minimum',
  maxLength: 'max_length',
  minLength: 'min_length',
  maxItems: 'max_items',
  minItems: 'min_items',
  maxProperties: 'max_properties',
  minProperties: 'min_properties',
};

function schemaMessage(s: JsonObject, where: string): GnosticMessage {
  const out: GnosticMessage = {};
  const ext: GnosticMessage[] = [];
  for (const [k, v] of Object.entries(s)) {
    const at = `${where}.${k}`;
    if (k in SCHEMA_SCALARS) out[SCHEMA_SCALARS[k]!] = v;
    else if (k === '$ref') out['_ref'] = str(v, at);
    else if (k === 'default' || k === 'example') out[k] = any(v);
    else if (k === 'required') out['required'] = arr(v, at).map((x) => str(x, at));
    else if (k === 'enum') out['enum'] = arr(v, at).map(any);
    else if (k === 'type') out['type'] = { value: Array.isArray(v) ? v.map((x) => str(x, at)) : [str(v, at)] };
    else if (k === 'items') out['items'] = { schema: (Array.isArray(v) ? v : [v]).map((x) => schemaMessage(obj(x, at), at)) };
    else if (k === 'allOf') out['all_of'] = arr(v, at).map((x) => schemaMessage(obj(x, at), at));
    else if (k === 'properties')
      out['properties'] = { additional_properties: Object.entries(obj(v, at)).map(([name, p]) => ({ name, value: schemaMessage(obj(p, `${at}.${name}`), `${at}.${name}`) })) };
    else if (k === 'additionalProperties') out['additional_properties'] = typeof v === 'boolean' ? { boolean: v } : { schema: schemaMessage(obj(v, at), at) };
    else if (k.startsWith('x-')) ext.push(extension(k, v));
    else throw new Error(`openapi v2: ${at} has no gnostic Schema field`);
  }
  if (ext.length) out['vendor_extension'] = ext;
  return out;
}

function parameterMessage(p: JsonObject, where: string): GnosticMessage {
  const at = `${where}.${String(p['name'])}`;
  const { name, in: location, description, required, schema, type, format, uniqueItems, ...rest } = p;
  const extra = Object.keys(rest).filter((k) => !k.startsWith('x-'));
  if (extra.length) throw new Error(`openapi v2: parameter ${at} has no gnostic field for ${extra.join(', ')}`);
  const ext = Object.entries(rest).map(([k, v]) => extension(k, v));
  const common: GnosticMessage = {
    ...(description !== undefined ? { description: str(description, at) } : {}),
    name: str(name, at),
    in: str(location, at),
    ...(required ? { required: true } : {}),
    ...(ext.length ? { vendor_extension: ext } : {}),
  };
  if (location === 'body') return { parameter: { body_parameter: { ...common, schema: schemaMessage(obj(schema, at), at) } } };
  const sub: GnosticMessage = {
    ...common,
    ...(type !== undefined ? { type: str(type, at) } : {}),
    ...(format !== undefined ? { format: str(format, at) } : {}),
    ...(uniqueItems ? { unique_items: true } : {}),
  };
  if (location === 'query') return { parameter: { non_body_parameter: { query_parameter_sub_schema: sub } } };
  if (location === 'path') return { parameter: { non_body_parameter: { path_parameter_sub_schema: sub } } };
  throw new Error(`openapi v2: parameter ${at} is in ${String(location)}, which kubeloop does not write`);
}

const OPERATION_KEYS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'] as const;

function operationMessage(op: JsonObject, where: string): GnosticMessage {
  const out: GnosticMessage = {};
  const ext: GnosticMessage[] = [];
  for (const [k, v] of Object.entries(op)) {
    const at = `${where}.${k}`;
    if (k === 'tags' || k === 'produces' || k === 'consumes' || k === 'schemes') out[k] = arr(v, at).map((x) => str(x, at));
    else if (k === 'summary' || k === 'description') out[k] = str(v, at);
    else if (k === 'operationId') out['operation_id'] = str(v, at);
    else if (k === 'deprecated') out['deprecated'] = v === true;
    else if (k === 'parameters') out['parameters'] = arr(v, at).map((p) => parameterMessage(obj(p, at), at));
    else if (k === 'responses') out['responses'] = { response_code: Object.entries(obj(v, at)).map(([code, r]) => responseMessage(code, obj(r, `${at}.${code}`), `${at}.${code}`)) };
    else if (k.startsWith('x-')) ext.push(extension(k, v));
    else throw new Error(`openapi v2: ${at} has no gnostic Operation field`);
  }
  if (ext.length) out['vendor_extension'] = ext;
  return out;
}

function responseMessage(code: string, r: JsonObject, where: string): GnosticMessage {
  const extra = Object.keys(r).filter((k) => k !== 'description' && k !== 'schema');
  if (extra.length) throw new Error(`openapi v2: response ${where} has no gnostic field for ${extra.join(', ')}`);
  const schema = r['schema'] === undefined ? {} : { schema: { schema: schemaMessage(obj(r['schema'], where), where) } };
  return { name: code, value: { response: { description: str(r['description'] ?? '', where), ...schema } } };
}

function pathItemMessage(item: JsonObject, where: string): GnosticMessage {
  const out: GnosticMessage = {};
  const ext: GnosticMessage[] = [];
  for (const [k, v] of Object.entries(item)) {
    const at = `${where}.${k}`;
    if ((OPERATION_KEYS as readonly string[]).includes(k)) out[k] = operationMessage(obj(v, at), at);
    else if (k === 'parameters') out['parameters'] = arr(v, at).map((p) => parameterMessage(obj(p, at), at));
    else if (k === '$ref') out['_ref'] = str(v, at);
    else if (k.startsWith('x-')) ext.push(extension(k, v));
    else throw new Error(`openapi v2: ${at} has no gnostic PathItem field`);
  }
  if (ext.length) out['vendor_extension'] = ext;
  return out;
}

/** The gnostic `Document` message of a swagger 2.0 document (throws on anything it cannot carry). */
export function gnosticDocument(doc: JsonObject): GnosticMessage {
  const out: GnosticMessage = {};
  const ext: GnosticMessage[] = [];
  for (const [k, v] of Object.entries(doc)) {
    if (k === 'swagger' || k === 'host') out[k] = str(v, k);
    else if (k === 'basePath') out['base_path'] = str(v, k);
    else if (k === 'schemes' || k === 'consumes' || k === 'produces') out[k] = arr(v, k).map((x) => str(x, k));
    else if (k === 'info') {
      const info = obj(v, k);
      out['info'] = {
        title: str(info['title'] ?? '', 'info.title'),
        version: str(info['version'] ?? '', 'info.version'),
        ...(info['description'] !== undefined ? { description: str(info['description'], 'info.description') } : {}),
      };
    } else if (k === 'paths') out['paths'] = { path: Object.entries(obj(v, k)).map(([name, item]) => ({ name, value: pathItemMessage(obj(item, name), name) })) };
    else if (k === 'definitions')
      out['definitions'] = { additional_properties: Object.entries(obj(v, k)).map(([name, s]) => ({ name, value: schemaMessage(obj(s, name), name) })) };
    else if (k === 'securityDefinitions')
      out['security_definitions'] = {
        additional_properties: Object.entries(obj(v, k)).map(([name, d]) => {
          const def = obj(d, `${k}.${name}`);
          if (def['type'] !== 'apiKey') throw new Error(`openapi v2: security definition ${name} is not an apiKey`);
          return { name, value: { api_key_security: { type: 'apiKey', name: str(def['name'], name), in: str(def['in'], name), description: str(def['description'] ?? '', name) } } };
        }),
      };
    else if (k === 'security')
      out['security'] = arr(v, k).map((req) => ({
        additional_properties: Object.entries(obj(req, k)).map(([name, scopes]) => ({ name, value: { value: arr(scopes, k).map((x) => str(x, k)) } })),
      }));
    else if (k.startsWith('x-')) ext.push(extension(k, v));
    else throw new Error(`openapi v2: document key ${k} has no gnostic Document field`);
  }
  if (ext.length) out['vendor_extension'] = ext;
  return out;
}

/** The protobuf encoding of a swagger 2.0 document, as kube-apiserver serves it. */
export function encodeSwaggerProto(doc: JsonObject): Uint8Array {
  const type = gnosticDocumentType();
  const message = gnosticDocument(doc);
  const problem = type.verify(message);
  if (problem) throw new Error(`openapi v2: ${problem}`);
  return type.encode(type.fromObject(message)).finish();
}

// ---------------------------------------------------------------- gnostic → swagger JSON

const fromAny = (a: unknown): unknown => YAML.parse(str(obj(a, 'Any')['yaml'] ?? '', 'Any.yaml'), { version: '1.1' });

function withExtensions(out: JsonObject, ext: unknown): JsonObject {
  for (const na of (ext as GnosticMessage[] | undefined) ?? []) out[str(na['name'], 'NamedAny.name')] = fromAny(na['value']);
  return out;
}

const SCHEMA_SCALARS_BACK: Record<string, string> = Object.fromEntries(Object.entries(SCHEMA_SCALARS).map(([json, pb]) => [pb, json]));

function schemaJson(m: GnosticMessage): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(m)) {
    if (k in SCHEMA_SCALARS_BACK) out[SCHEMA_SCALARS_BACK[k]!] = typeof v === 'object' && v !== null ? Number(v) : v;
    else if (k === '_ref') out['$ref'] = v;
    else if (k === 'default' || k === 'example') out[k] = fromAny(v);
    else if (k === 'required') out['required'] = v;
    else if (k === 'enum') out['enum'] = (v as unknown[]).map(fromAny);
    else if (k === 'type') {
      const t = obj(v, 'type')['value'] as string[] | undefined;
      out['type'] = t && t.length === 1 ? t[0] : (t ?? []);
    } else if (k === 'items') {
      const items = ((obj(v, 'items')['schema'] as GnosticMessage[] | undefined) ?? []).map(schemaJson);
      out['items'] = items.length === 1 ? items[0] : items;
    } else if (k === 'all_of') out['allOf'] = (v as GnosticMessage[]).map(schemaJson);
    else if (k === 'properties')
      out['properties'] = Object.fromEntries(((obj(v, 'properties')['additional_properties'] as GnosticMessage[] | undefined) ?? []).map((n) => [n['name'], schemaJson(obj(n['value'] ?? {}, 'value'))]));
    else if (k === 'additional_properties') {
      const ap = obj(v, k);
      out['additionalProperties'] = ap['schema'] !== undefined ? schemaJson(obj(ap['schema'], k)) : ap['boolean'] === true;
    } else if (k !== 'vendor_extension') out[k] = v;
  }
  return withExtensions(out, m['vendor_extension']);
}

function parameterJson(m: GnosticMessage): JsonObject {
  const p = obj(m['parameter'], 'parameter');
  const body = p['body_parameter'] as GnosticMessage | undefined;
  const nb = p['non_body_parameter'] as GnosticMessage | undefined;
  const sub = body ?? ((nb?.['query_parameter_sub_schema'] ?? nb?.['path_parameter_sub_schema']) as GnosticMessage | undefined) ?? {};
  const out: JsonObject = {};
  for (const k of ['name', 'in', 'description', 'required', 'type', 'format'] as const) if (sub[k] !== undefined) out[k] = sub[k];
  if (sub['unique_items'] !== undefined) out['uniqueItems'] = sub['unique_items'];
  if (body?.['schema']) out['schema'] = schemaJson(obj(body['schema'], 'schema'));
  return withExtensions(out, sub['vendor_extension']);
}

function operationJson(m: GnosticMessage): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(m)) {
    if (k === 'operation_id') out['operationId'] = v;
    else if (k === 'parameters') out['parameters'] = (v as GnosticMessage[]).map(parameterJson);
    else if (k === 'responses')
      out['responses'] = Object.fromEntries(
        ((obj(v, k)['response_code'] as GnosticMessage[] | undefined) ?? []).map((n) => {
          const r = obj(obj(n['value'], 'value')['response'], 'response');
          const schema = (r['schema'] as GnosticMessage | undefined)?.['schema'] as GnosticMessage | undefined;
          return [n['name'], { description: r['description'] ?? '', ...(schema ? { schema: schemaJson(schema) } : {}) }];
        }),
      );
    else if (k !== 'vendor_extension') out[k] = v;
  }
  return withExtensions(out, m['vendor_extension']);
}

/** The swagger 2.0 JSON a gnostic `Document` message carries (the inverse of `gnosticDocument`). */
export function swaggerFromGnostic(m: GnosticMessage): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(m)) {
    if (k === 'base_path') out['basePath'] = v;
    else if (k === 'info') out['info'] = { ...obj(v, k) };
    else if (k === 'paths')
      out['paths'] = Object.fromEntries(
        ((obj(v, k)['path'] as GnosticMessage[] | undefined) ?? []).map((n) => {
          const item = obj(n['value'], 'value');
          const json: JsonObject = {};
          for (const [ik, iv] of Object.entries(item)) {
            if (ik === 'parameters') json['parameters'] = (iv as GnosticMessage[]).map(parameterJson);
            else if (ik === '_ref') json['$ref'] = iv;
            else if (ik !== 'vendor_extension') json[ik] = operationJson(obj(iv, ik));
          }
          return [n['name'], withExtensions(json, item['vendor_extension'])];
        }),
      );
    else if (k === 'definitions')
      out['definitions'] = Object.fromEntries(((obj(v, k)['additional_properties'] as GnosticMessage[] | undefined) ?? []).map((n) => [n['name'], schemaJson(obj(n['value'], 'value'))]));
    else if (k === 'security_definitions')
      out['securityDefinitions'] = Object.fromEntries(
        ((obj(v, k)['additional_properties'] as GnosticMessage[] | undefined) ?? []).map((n) => [n['name'], { ...obj(obj(n['value'], 'value')['api_key_security'], 'api_key_security') }]),
      );
    else if (k === 'security')
      out['security'] = (v as GnosticMessage[]).map((req) =>
        Object.fromEntries(((req['additional_properties'] as GnosticMessage[] | undefined) ?? []).map((n) => [n['name'], (obj(n['value'], 'value')['value'] as string[] | undefined) ?? []])),
      );
    else if (k !== 'vendor_extension') out[k] = v;
  }
  return withExtensions(out, m['vendor_extension']);
}

/** Decodes a protobuf OpenAPI v2 document back to swagger JSON (with the same schema it was written with). */
export function decodeSwaggerProto(bytes: Uint8Array): JsonObject {
  const type = gnosticDocumentType();
  const message = type.toObject(type.decode(bytes), { longs: Number, arrays: false, defaults: false, oneofs: false }) as GnosticMessage;
  return swaggerFromGnostic(message);
}
