// JSON decoding that fails with the messages of Go's encoding/json (and sigs.k8s.io/json, its
// fork the apiserver uses): the text is first checked whole, as Go's checkValid does, so a
// syntax error wins over any type error, and the offending character is quoted like Go quotes
// the byte it stopped at.
import type { JsonValue } from './_json.js';

export class GoJsonError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GoJsonError';
  }
}

const END = 'unexpected end of JSON input';

/** JSON.parse, after checking the text the way Go's scanner does. */
export function decodeGoJson(text: string): JsonValue {
  new Scanner(text).checkValid();
  return JSON.parse(text) as JsonValue;
}

class Scanner {
  private i = 0;
  constructor(private readonly s: string) {}

  checkValid(): void {
    this.value();
    this.skipSpace();
    if (this.i < this.s.length) throw this.invalid('after top-level value');
  }

  private peek(): string {
    if (this.i >= this.s.length) throw new GoJsonError(END);
    return this.s.charAt(this.i);
  }

  private invalid(context: string): GoJsonError {
    return new GoJsonError(`invalid character ${quoteChar(this.s.codePointAt(this.i) ?? 0)} ${context}`);
  }

  private skipSpace(): void {
    while (this.i < this.s.length && ' \t\r\n'.includes(this.s.charAt(this.i))) this.i++;
  }

  private value(): void {
    this.skipSpace();
    const c = this.peek();
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    if (c === '-' || isDigit(c)) return this.number();
    if (c === 't') return this.literal('true');
    if (c === 'f') return this.literal('false');
    if (c === 'n') return this.literal('null');
    throw this.invalid('looking for beginning of value');
  }

  private object(): void {
    this.i++;
    this.skipSpace();
    if (this.peek() === '}') {
      this.i++;
      return;
    }
    for (;;) {
      if (this.peek() !== '"') throw this.invalid('looking for beginning of object key string');
      this.string();
      this.skipSpace();
      if (this.peek() !== ':') throw this.invalid('after object key');
      this.i++;
      this.value();
      this.skipSpace();
      const c = this.peek();
      this.i++;
      if (c === '}') return;
      if (c !== ',') {
        this.i--;
        throw this.invalid('after object key:value pair');
      }
      this.skipSpace();
    }
  }

  private array(): void {
    this.i++;
    this.skipSpace();
    if (this.peek() === ']') {
      this.i++;
      return;
    }
    for (;;) {
      this.value();
      this.skipSpace();
      const c = this.peek();
      this.i++;
      if (c === ']') return;
      if (c !== ',') {
        this.i--;
        throw this.invalid('after array element');
      }
    }
  }

  private string(): void {
    this.i++;
    for (;;) {
      const c = this.peek();
      if (c === '"') {
        this.i++;
        return;
      }
      if (c === '\\') {
        this.i++;
        const e = this.peek();
        if ('"\\/bfnrt'.includes(e)) this.i++;
        else if (e === 'u') {
          this.i++;
          for (let k = 0; k < 4; k++) {
            if (!/[0-9a-fA-F]/.test(this.peek())) throw this.invalid('in \\u hexadecimal character escape');
            this.i++;
          }
        } else throw this.invalid('in string escape code');
        continue;
      }
      if (c.charCodeAt(0) < 0x20) throw this.invalid('in string literal');
      this.i++;
    }
  }

  private number(): void {
    if (this.peek() === '-') {
      this.i++;
      if (!isDigit(this.peek())) throw this.invalid('in numeric literal');
    }
    if (this.peek() === '0') this.i++;
    else this.digits();
    if (this.at('.')) {
      this.i++;
      if (!isDigit(this.peek())) throw this.invalid('after decimal point in numeric literal');
      this.digits();
    }
    if (this.at('e') || this.at('E')) {
      this.i++;
      if (this.peek() === '+' || this.peek() === '-') this.i++;
      if (!isDigit(this.peek())) throw this.invalid('in exponent of numeric literal');
      this.digits();
    }
  }

  private digits(): void {
    while (this.i < this.s.length && isDigit(this.s.charAt(this.i))) this.i++;
  }

  private at(c: string): boolean {
    return this.i < this.s.length && this.s.charAt(this.i) === c;
  }

  private literal(word: string): void {
    this.i++;
    for (let k = 1; k < word.length; k++) {
      if (this.peek() !== word.charAt(k)) throw this.invalid(`in literal ${word} (expecting '${word.charAt(k)}')`);
      this.i++;
    }
  }
}

const isDigit = (c: string) => c >= '0' && c <= '9';

/**
 * Go's quoteChar: the scanner stops at a byte, so a non-ASCII character shows as the Latin-1
 * reading of its first UTF-8 byte, quoted like strconv.Quote quotes that rune.
 */
function quoteChar(codePoint: number): string {
  const b = codePoint < 0x80 ? codePoint : Buffer.from(String.fromCodePoint(codePoint), 'utf8')[0] ?? 0;
  if (b === 0x27) return "'\\''";
  if (b === 0x22) return `'"'`;
  return `'${quoteRune(b)}'`;
}

function quoteRune(r: number): string {
  const named: Record<number, string> = { 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r', 0x5c: '\\\\' };
  const n = named[r];
  if (n !== undefined) return n;
  if (r < 0x20 || r === 0x7f) return `\\x${r.toString(16).padStart(2, '0')}`;
  if ((r >= 0x80 && r <= 0xa0) || r === 0xad) return `\\u${r.toString(16).padStart(4, '0')}`;
  return String.fromCharCode(r);
}
