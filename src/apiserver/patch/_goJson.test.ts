import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeGoJson, GoJsonError } from './_goJson.js';

const cases: [string, string][] = [
  ['', 'unexpected end of JSON input'],
  ['{"a":1', 'unexpected end of JSON input'],
  ['x', "invalid character 'x' looking for beginning of value"],
  ['{a}', "invalid character 'a' looking for beginning of object key string"],
  ['{"a":1,}', "invalid character '}' looking for beginning of object key string"],
  ['{"a" 1}', "invalid character '1' after object key"],
  ['{"a":1 "b":2}', `invalid character '"' after object key:value pair`],
  ['[1 2]', "invalid character '2' after array element"],
  ['[1,]', "invalid character ']' looking for beginning of value"],
  ['{} x', "invalid character 'x' after top-level value"],
  ['01', "invalid character '1' after top-level value"],
  ['-a', "invalid character 'a' in numeric literal"],
  ['1.x', "invalid character 'x' after decimal point in numeric literal"],
  ['1ex', "invalid character 'x' in exponent of numeric literal"],
  ['tru', 'unexpected end of JSON input'],
  ['trux', "invalid character 'x' in literal true (expecting 'e')"],
  ['nul1', "invalid character '1' in literal null (expecting 'l')"],
  ['"a\nb"', "invalid character '\\n' in string literal"],
  ['"\\q"', "invalid character 'q' in string escape code"],
  ['"\\u12x4"', "invalid character 'x' in \\u hexadecimal character escape"],
  ["{'a':1}", "invalid character '\\'' looking for beginning of object key string"],
  ['é', "invalid character 'Ã' looking for beginning of value"],
];

describe('decodeGoJson', () => {
  for (const [text, message] of cases) {
    it(`${JSON.stringify(text)} fails with: ${message}`, () => {
      assert.throws(() => decodeGoJson(text), (e: unknown) => e instanceof GoJsonError && e.message === message);
    });
  }

  it('decodes valid JSON, whitespace included', () => {
    assert.deepEqual(decodeGoJson(' {"a": [1, -2.5e3, "x\\u00e9", true, false, null]}\n'), { a: [1, -2500, 'xé', true, false, null] });
  });
});
