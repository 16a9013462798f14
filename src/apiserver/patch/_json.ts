// JSON values as the patch algorithms see them, plus the few helpers they share. Every write goes
// through setMember so that a member named "__proto__" stays a plain own property.

export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function hasMember(o: JsonObject, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, key);
}

export function setMember(o: JsonObject, key: string, value: JsonValue): void {
  if (key === '__proto__') Object.defineProperty(o, key, { value, writable: true, enumerable: true, configurable: true });
  else o[key] = value;
}

/** The member's value, or undefined when the object has no such own member. */
export function getMember(o: JsonObject, key: string): JsonValue | undefined {
  return hasMember(o, key) ? o[key] : undefined;
}

/** A detached copy of any JSON-serializable value, as it would look on the wire (undefined members dropped). */
export function toJson(v: unknown): JsonValue | undefined {
  const text = JSON.stringify(v);
  return text === undefined ? undefined : (JSON.parse(text) as JsonValue);
}

/** Structural equality; numbers compare by value, object member order does not matter. */
export function jsonEqual(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i] as JsonValue));
  if (isJsonObject(a)) {
    if (!isJsonObject(b)) return false;
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => hasMember(b, k) && jsonEqual(a[k] as JsonValue, b[k] as JsonValue));
  }
  return false;
}
