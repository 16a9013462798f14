// Label selectors: the string syntax of k8s.io/apimachinery/pkg/labels (`=`, `==`, `!=`, `in`,
// `notin`, `k`, `!k`, `>`, `<`) and metav1.LabelSelector conversion.
import type { LabelSelector, LabelSelectorRequirement } from './meta.js';
import { isQualifiedName, isValidLabelValue } from './names.js';

export type Operator = 'in' | 'notin' | '=' | '==' | '!=' | 'exists' | '!' | 'gt' | 'lt';

export interface Requirement {
  key: string;
  operator: Operator;
  values: string[];
}

export type Labels = Readonly<Record<string, string>> | undefined;

export class SelectorParseError extends Error {}

/** A parsed selector. `everything()` matches all; `nothing()` matches none (nil LabelSelector). */
export class Selector {
  private constructor(
    readonly requirements: readonly Requirement[],
    private readonly matchesNothing = false,
  ) {}

  static everything(): Selector {
    return new Selector([]);
  }
  static nothing(): Selector {
    return new Selector([], true);
  }
  static of(requirements: Requirement[]): Selector {
    return new Selector([...requirements].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)));
  }
  /** Equality selector from a map (Service selectors, matchLabels). */
  static fromMap(m: Readonly<Record<string, string>>): Selector {
    return Selector.of(Object.entries(m).map(([key, v]) => ({ key, operator: '=', values: [v] })));
  }

  isEmpty(): boolean {
    return !this.matchesNothing && this.requirements.length === 0;
  }

  matches(labels: Labels): boolean {
    if (this.matchesNothing) return false;
    const l = labels ?? {};
    return this.requirements.every((r) => matchRequirement(r, l));
  }

  toString(): string {
    return this.requirements.map(requirementString).join(',');
  }
}

function matchRequirement(r: Requirement, l: Readonly<Record<string, string>>): boolean {
  const has = Object.prototype.hasOwnProperty.call(l, r.key);
  const v = l[r.key];
  switch (r.operator) {
    case '=':
    case '==':
    case 'in':
      return has && r.values.includes(v as string);
    case '!=':
    case 'notin':
      return !has || !r.values.includes(v as string);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      if (!has) return false;
      const n = Number(v);
      const bound = Number(r.values[0]);
      if (!Number.isInteger(n) || !/^-?\d+$/.test(v as string)) return false;
      return r.operator === 'gt' ? n > bound : n < bound;
    }
    default: {
      const never: never = r.operator;
      return never;
    }
  }
}

function requirementString(r: Requirement): string {
  switch (r.operator) {
    case 'exists':
      return r.key;
    case '!':
      return `!${r.key}`;
    case '=':
    case '==':
    case '!=':
      return `${r.key}${r.operator}${r.values[0] ?? ''}`;
    case 'in':
    case 'notin':
      return `${r.key} ${r.operator} (${[...r.values].sort().join(',')})`;
    case 'gt':
      return `${r.key}>${r.values[0]}`;
    case 'lt':
      return `${r.key}<${r.values[0]}`;
    default: {
      const never: never = r.operator;
      return never;
    }
  }
}

// ---------------------------------------------------------------- parser

type Tok =
  | { t: 'id'; v: string }
  | { t: 'in' | 'notin' | '=' | '==' | '!=' | '!' | '>' | '<' | '(' | ')' | ',' | 'end' };

function lex(s: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  const special = new Set([' ', '\t', '\n', '\r', '!', '=', '(', ')', ',', '<', '>']);
  while (i < s.length) {
    const c = s[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (c === '!' && s[i + 1] === '=') {
      out.push({ t: '!=' });
      i += 2;
    } else if (c === '=' && s[i + 1] === '=') {
      out.push({ t: '==' });
      i += 2;
    } else if (c === '!' || c === '=' || c === '(' || c === ')' || c === ',' || c === '<' || c === '>') {
      out.push({ t: c });
      i++;
    } else {
      let j = i;
      while (j < s.length && !special.has(s[j]!)) j++;
      const word = s.slice(i, j);
      if (word === 'in' || word === 'notin') out.push({ t: word });
      else out.push({ t: 'id', v: word });
      i = j;
    }
  }
  out.push({ t: 'end' });
  return out;
}

const tokText = (t: Tok) => (t.t === 'id' ? t.v : t.t === 'end' ? 'EOS' : t.t);

/** Parses a selector string; throws SelectorParseError with upstream-like messages. */
export function parseSelector(input: string): Selector {
  const toks = lex(input);
  let p = 0;
  const peek = () => toks[p]!;
  const next = () => toks[p++]!;
  const reqs: Requirement[] = [];
  if (peek().t === 'end') return Selector.everything();
  for (;;) {
    let negate = false;
    if (peek().t === '!') {
      next();
      negate = true;
    }
    const keyTok = next();
    if (keyTok.t !== 'id') {
      throw new SelectorParseError(`unable to parse requirement: found '${tokText(keyTok)}', expected: identifier`);
    }
    const key = keyTok.v;
    checkKey(key);
    const op = peek();
    if (negate) {
      if (op.t !== ',' && op.t !== 'end') throw new SelectorParseError(`unable to parse requirement: found '${tokText(op)}', expected: ',' or 'end of string'`);
      reqs.push({ key, operator: '!', values: [] });
    } else if (op.t === ',' || op.t === 'end') {
      reqs.push({ key, operator: 'exists', values: [] });
    } else if (op.t === '=' || op.t === '==' || op.t === '!=') {
      next();
      const vt = peek();
      let value = '';
      if (vt.t === 'id') {
        next();
        value = vt.v;
      } else if (vt.t !== ',' && vt.t !== 'end') {
        throw new SelectorParseError(`unable to parse requirement: found '${tokText(vt)}', expected: identifier`);
      }
      checkValue(value);
      reqs.push({ key, operator: op.t, values: [value] });
    } else if (op.t === 'in' || op.t === 'notin') {
      next();
      const open = next();
      if (open.t !== '(') throw new SelectorParseError(`found '${tokText(open)}', expected: '('`);
      const values: string[] = [];
      for (;;) {
        const v = peek();
        if (v.t === 'id') {
          next();
          checkValue(v.v);
          values.push(v.v);
        } else if (v.t === ',' || v.t === ')') {
          values.push('');
        } else {
          throw new SelectorParseError(`found '${tokText(v)}', expected: ',', ')' or identifier`);
        }
        const sep = next();
        if (sep.t === ')') break;
        if (sep.t !== ',') throw new SelectorParseError(`found '${tokText(sep)}', expected: ',' or ')'`);
      }
      reqs.push({ key, operator: op.t, values: values.filter((v, i, a) => a.indexOf(v) === i) });
    } else if (op.t === '>' || op.t === '<') {
      next();
      const v = next();
      if (v.t !== 'id' || !/^-?\d+$/.test(v.v)) {
        throw new SelectorParseError(`unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer`);
      }
      reqs.push({ key, operator: op.t === '>' ? 'gt' : 'lt', values: [v.v] });
    } else {
      throw new SelectorParseError(`unable to parse requirement: found '${tokText(op)}', expected: in, notin, =, ==, !=, gt, lt`);
    }
    const sep = next();
    if (sep.t === 'end') break;
    if (sep.t !== ',') throw new SelectorParseError(`found '${tokText(sep)}', expected: ',' or 'end of string'`);
  }
  return Selector.of(reqs);
}

function checkKey(key: string): void {
  const errs = isQualifiedName(key);
  if (errs.length) throw new SelectorParseError(`unable to parse requirement: Invalid value: "${key}": ${errs.join('; ')}`);
}

function checkValue(v: string): void {
  const errs = isValidLabelValue(v);
  if (errs.length) throw new SelectorParseError(`unable to parse requirement: Invalid value: "${v}": ${errs.join('; ')}`);
}

/** metav1.LabelSelectorAsSelector: undefined → nothing; `{}` → everything. */
export function fromLabelSelector(ls: LabelSelector | undefined | null): Selector {
  if (!ls) return Selector.nothing();
  const reqs: Requirement[] = [];
  for (const [key, v] of Object.entries(ls.matchLabels ?? {})) reqs.push({ key, operator: '=', values: [v] });
  for (const e of ls.matchExpressions ?? []) reqs.push(expressionRequirement(e));
  return Selector.of(reqs);
}

function expressionRequirement(e: LabelSelectorRequirement): Requirement {
  switch (e.operator) {
    case 'In':
      return { key: e.key, operator: 'in', values: e.values ?? [] };
    case 'NotIn':
      return { key: e.key, operator: 'notin', values: e.values ?? [] };
    case 'Exists':
      return { key: e.key, operator: 'exists', values: [] };
    case 'DoesNotExist':
      return { key: e.key, operator: '!', values: [] };
    default: {
      const never: never = e.operator;
      return never;
    }
  }
}

/** `labels.FormatLabels`: `k=v,k2=v2` sorted by key, `<none>` when empty. */
export function formatLabels(m: Readonly<Record<string, string>> | undefined): string {
  const keys = Object.keys(m ?? {}).sort();
  if (keys.length === 0) return '<none>';
  return keys.map((k) => `${k}=${m![k]}`).join(',');
}

/** `metav1.FormatLabelSelector`. */
export function formatLabelSelector(ls: LabelSelector | undefined | null): string {
  if (!ls) return '<none>';
  const s = fromLabelSelector(ls).toString();
  return s === '' ? '<none>' : s;
}
