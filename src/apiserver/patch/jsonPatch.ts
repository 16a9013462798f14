// RFC 6902 JSON Patch over RFC 6901 JSON Pointers. Operations apply in order to a copy of the
// document; the first failing one aborts the whole patch and the input is left untouched.
import { getMember, hasMember, isJsonObject, jsonEqual, setMember, toJson, type JsonObject, type JsonValue } from './_json.js';

/** An operation that does not apply (RFC 6902 section 5); the apiserver answers 422. */
export class JsonPatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonPatchError';
  }
}

type Op = 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
const OPS: readonly string[] = ['add', 'remove', 'replace', 'move', 'copy', 'test'] satisfies Op[];

/** Applies `operations` to a copy of `document` and returns the result. */
export function applyJsonPatch(document: JsonValue, operations: readonly JsonValue[]): JsonValue {
  let doc = toJson(document) ?? null;
  operations.forEach((raw, index) => {
    doc = applyOperation(doc, raw, index);
  });
  return doc;
}

function applyOperation(doc: JsonValue, raw: JsonValue, index: number): JsonValue {
  if (!isJsonObject(raw)) throw new JsonPatchError(`Cannot apply operation ${index}: an operation must be an object`);
  const op = stringMember(raw, 'op', index);
  if (!OPS.includes(op)) throw new JsonPatchError(`Cannot apply operation ${index}: unknown op "${op}"`);
  const path = parsePointer(stringMember(raw, 'path', index), index);
  switch (op as Op) {
    case 'add':
      return add(doc, path, valueMember(raw, index), index);
    case 'remove':
      return remove(doc, path, index).doc;
    case 'replace':
      remove(doc, path, index);
      return add(doc, path, valueMember(raw, index), index);
    case 'move': {
      const fromText = stringMember(raw, 'from', index);
      const from = parsePointer(fromText, index);
      if (from.length < path.length && from.every((t, i) => t === path[i])) {
        throw new JsonPatchError(`Cannot apply operation ${index}: cannot move "${fromText}" into one of its children`);
      }
      const taken = remove(doc, from, index);
      return add(taken.doc, path, taken.value, index);
    }
    case 'copy':
      return add(doc, path, toJson(resolve(doc, parsePointer(stringMember(raw, 'from', index), index), index)) ?? null, index);
    case 'test': {
      const expected = valueMember(raw, index);
      if (!jsonEqual(resolve(doc, path, index), expected)) {
        throw new JsonPatchError(`Cannot apply operation ${index}: test failed, the value at "${pointerText(path)}" differs`);
      }
      return doc;
    }
  }
}

function stringMember(op: JsonObject, name: string, index: number): string {
  const v = getMember(op, name);
  if (typeof v !== 'string') throw new JsonPatchError(`Cannot apply operation ${index}: "${name}" must be a string`);
  return v;
}

function valueMember(op: JsonObject, index: number): JsonValue {
  if (!hasMember(op, 'value')) throw new JsonPatchError(`Cannot apply operation ${index}: "value" is missing`);
  return toJson(op['value']) ?? null;
}

/** RFC 6901: "" is the whole document; otherwise "/"-separated tokens with ~1 → "/" then ~0 → "~". */
function parsePointer(text: string, index: number): string[] {
  if (text === '') return [];
  if (!text.startsWith('/')) throw new JsonPatchError(`Cannot apply operation ${index}: path "${text}" must start with "/"`);
  return text
    .slice(1)
    .split('/')
    .map((t) => {
      if (/~(?![01])/.test(t)) throw new JsonPatchError(`Cannot apply operation ${index}: invalid escape in path "${text}"`);
      return t.replace(/~1/g, '/').replace(/~0/g, '~');
    });
}

const pointerText = (tokens: readonly string[]) => tokens.map((t) => `/${t.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');

function arrayIndex(token: string, length: number, index: number, opts: { allowEnd: boolean }): number {
  if (token === '-' && opts.allowEnd) return length;
  if (!/^(0|[1-9][0-9]*)$/.test(token)) throw new JsonPatchError(`Cannot apply operation ${index}: "${token}" is not an array index`);
  const i = Number(token);
  if (i > length || (i === length && !opts.allowEnd)) throw new JsonPatchError(`Cannot apply operation ${index}: index ${i} is out of bounds`);
  return i;
}

function resolve(doc: JsonValue, path: readonly string[], index: number): JsonValue {
  let cur = doc;
  for (const token of path) {
    if (Array.isArray(cur)) cur = cur[arrayIndex(token, cur.length, index, { allowEnd: false })] as JsonValue;
    else if (isJsonObject(cur) && hasMember(cur, token)) cur = cur[token] as JsonValue;
    else throw new JsonPatchError(`Cannot apply operation ${index}: path "${pointerText(path)}" does not exist`);
  }
  return cur;
}

/** The container that holds the last token of `path` (which must not be the root). */
function parentOf(doc: JsonValue, path: readonly string[], index: number): { parent: JsonValue; last: string } {
  return { parent: resolve(doc, path.slice(0, -1), index), last: path[path.length - 1] ?? '' };
}

function add(doc: JsonValue, path: readonly string[], value: JsonValue, index: number): JsonValue {
  if (path.length === 0) return value;
  const { parent, last } = parentOf(doc, path, index);
  if (Array.isArray(parent)) parent.splice(arrayIndex(last, parent.length, index, { allowEnd: true }), 0, value);
  else if (isJsonObject(parent)) setMember(parent, last, value);
  else throw new JsonPatchError(`Cannot apply operation ${index}: the parent of "${pointerText(path)}" is not a container`);
  return doc;
}

function remove(doc: JsonValue, path: readonly string[], index: number): { doc: JsonValue; value: JsonValue } {
  if (path.length === 0) return { doc: null, value: doc };
  const { parent, last } = parentOf(doc, path, index);
  if (Array.isArray(parent)) {
    const [value] = parent.splice(arrayIndex(last, parent.length, index, { allowEnd: false }), 1);
    return { doc, value: value ?? null };
  }
  if (isJsonObject(parent) && hasMember(parent, last)) {
    const value = parent[last] as JsonValue;
    delete parent[last];
    return { doc, value };
  }
  throw new JsonPatchError(`Cannot apply operation ${index}: path "${pointerText(path)}" does not exist`);
}
