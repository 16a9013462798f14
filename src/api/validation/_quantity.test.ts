import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareQuantity, formatQuantity, parseQuantity } from './_quantity.js';

test('quantities print in the canonical form upstream uses in messages', () => {
  const cases: [input: string, canonical: string][] = [
    ['1000m', '1'],
    ['500m', '500m'],
    ['0.5', '500m'],
    ['1000', '1k'],
    ['1500', '1500'],
    ['128Mi', '128Mi'],
    ['1024Mi', '1Gi'],
    ['1.5Gi', '1536Mi'],
    ['100', '100'],
    ['1e3', '1e3'],
    ['0', '0'],
  ];
  for (const [input, canonical] of cases) assert.equal(formatQuantity(parseQuantity(input)!), canonical, input);
});

test('quantities compare by value across units and reject garbage', () => {
  assert.equal(compareQuantity(parseQuantity('1')!, parseQuantity('1000m')!), 0);
  assert.equal(compareQuantity(parseQuantity('1Gi')!, parseQuantity('1G')!), 1);
  assert.equal(parseQuantity('one'), undefined);
  assert.equal(parseQuantity('1Xi'), undefined);
});
