// A JSON syntax tree that keeps what JSON.parse loses and Go's decoder sees: repeated keys, key
// order, and the literal text of numbers (`1.0` is not an int32 to Go). Built from request text,
// or from an already-parsed value when only that is at hand.

export type JsonTree =
  | { readonly t: 'object'; readonly entries: readonly (readonly [string, JsonTree])[] }
  | { readonly t: 'array'; readonly items: readonly JsonTree[] }
  | { readonly t: 'string'; readonly value: string }
  /** `raw` is the literal as written (or as JavaScript prints a parsed number). */
  | { readonly t: 'number'; readonly raw: string; readonly value: number }
  | { readonly t: 'bool'; readonly value: boolean }
  | { readonly t: 'null' };

/** The tree of an already-parsed value. Duplicate keys are gone by then. */
export function treeOf(value: unknown): JsonTree {
  if (value === null || value === undefined) return { t: 'null' };
  if (Array.isArray(value)) return { t: 'array', items: value.map(treeOf) };
  switch (typeof value) {
    case 'string':
      return { t: 'string', value };
    case 'number':
      return { t: 'number', raw: String(value), value };
    case 'boolean':
      return { t: 'bool', value };
    case 'object':
      return { t: 'object', entries: Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, treeOf(v)] as const) };
    default:
      return { t: 'null' };
  }
}

/** Parses JSON text; undefined when it is not valid JSON (the caller's JSON.parse reports that). */
export function parseJsonTree(text: string): JsonTree | undefined {
  const p = new Parser(text);
  try {
    const v = p.value();
    p.space();
    return p.done() ? v : undefined;
  } catch (e) {
    if (e instanceof SyntaxError) return undefined;
    throw e;
  }
}

class Parser {
  private i = 0;
  constructor(private readonly s: string) {}

  done(): boolean {
    return this.i >= this.s.length;
  }

  space(): void {
    while (this.i < this.s.length) {
      const c = this.s.charCodeAt(this.i);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
      this.i++;
    }
  }

  value(): JsonTree {
    this.space();
    const c = this.s.charAt(this.i);
    switch (c) {
      case '{':
        return this.object();
      case '[':
        return this.array();
      case '"':
        return { t: 'string', value: this.string() };
      case 't':
        return this.literal('true', { t: 'bool', value: true });
      case 'f':
        return this.literal('false', { t: 'bool', value: false });
      case 'n':
        return this.literal('null', { t: 'null' });
      default:
        return this.number();
    }
  }

  private object(): JsonTree {
    this.i++;
    const entries: [string, JsonTree][] = [];
    this.space();
    if (this.s.charAt(this.i) === '}') {
      this.i++;
      return { t: 'object', entries };
    }
    for (;;) {
      this.space();
      if (this.s.charAt(this.i) !== '"') throw new SyntaxError('expected key');
      const key = this.string();
      this.space();
      if (this.s.charAt(this.i) !== ':') throw new SyntaxError('expected colon');
      this.i++;
      entries.push([key, this.value()]);
      this.space();
      const c = this.s.charAt(this.i++);
      if (c === '}') return { t: 'object', entries };
      if (c !== ',') throw new SyntaxError('expected comma');
    }
  }

  private array(): JsonTree {
    this.i++;
    const items: JsonTree[] = [];
    this.space();
    if (this.s.charAt(this.i) === ']') {
      this.i++;
      return { t: 'array', items };
    }
    for (;;) {
      items.push(this.value());
      this.space();
      const c = this.s.charAt(this.i++);
      if (c === ']') return { t: 'array', items };
      if (c !== ',') throw new SyntaxError('expected comma');
    }
  }

  private string(): string {
    const start = this.i;
    this.i++;
    for (;;) {
      if (this.i >= this.s.length) throw new SyntaxError('unterminated string');
      const c = this.s.charAt(this.i++);
      if (c === '\\') this.i++;
      else if (c === '"') break;
    }
    return JSON.parse(this.s.slice(start, this.i)) as string;
  }

  private number(): JsonTree {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.s.slice(this.i, this.i + 400));
    if (!m || m[0] === '') throw new SyntaxError('expected value');
    this.i += m[0].length;
    return { t: 'number', raw: m[0], value: Number(m[0]) };
  }

  private literal(word: string, v: JsonTree): JsonTree {
    if (this.s.slice(this.i, this.i + word.length) !== word) throw new SyntaxError('bad literal');
    this.i += word.length;
    return v;
  }
}

/** The JSON kind as Go's UnmarshalTypeError names it (`string`, `number`, `bool`, `array`, `object`). */
export function goKind(v: JsonTree): string {
  switch (v.t) {
    case 'object':
      return 'object';
    case 'array':
      return 'array';
    case 'string':
      return 'string';
    case 'number':
      return 'number';
    case 'bool':
      return 'bool';
    case 'null':
      return 'null';
    default: {
      const never: never = v;
      return never;
    }
  }
}
