// Field selectors (k8s.io/apimachinery/pkg/fields): `k=v`, `k==v`, `k!=v`, comma-joined, with
// backslash escapes. Which fields a kind supports is decided by its resource definition.

export interface FieldRequirement {
  field: string;
  operator: '=' | '!=';
  value: string;
}

export class FieldSelector {
  constructor(readonly requirements: readonly FieldRequirement[]) {}

  static everything(): FieldSelector {
    return new FieldSelector([]);
  }

  isEmpty(): boolean {
    return this.requirements.length === 0;
  }

  /** Matches a flat field set (from the kind's `selectableFields`). */
  matches(fields: Readonly<Record<string, string>>): boolean {
    return this.requirements.every((r) => {
      const v = fields[r.field] ?? '';
      return r.operator === '=' ? v === r.value : v !== r.value;
    });
  }

  /** The value required by an exact `field=value` term, if any (used to narrow lists). */
  exactValue(field: string): string | undefined {
    return this.requirements.find((r) => r.field === field && r.operator === '=')?.value;
  }

  fields(): string[] {
    return this.requirements.map((r) => r.field);
  }

  toString(): string {
    return this.requirements.map((r) => `${r.field}${r.operator}${escapeValue(r.value)}`).join(',');
  }
}

export class FieldSelectorParseError extends Error {}

function escapeValue(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/,/g, '\\,').replace(/=/g, '\\=');
}

function splitTerms(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\' && i + 1 < s.length) {
      cur += c + s[i + 1];
      i++;
    } else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

function unescape(v: string): string {
  let out = '';
  for (let i = 0; i < v.length; i++) {
    const c = v[i]!;
    if (c === '\\') {
      const n = v[i + 1];
      if (n === undefined || !['\\', ',', '='].includes(n)) throw new FieldSelectorParseError(`invalid field selector: invalid escape sequence: \\${n ?? ''}`);
      out += n;
      i++;
    } else if (c === '=' || c === ',') {
      throw new FieldSelectorParseError(`invalid field selector: unescaped ${c} in value`);
    } else out += c;
  }
  return out;
}

export function parseFieldSelector(input: string): FieldSelector {
  if (input.trim() === '') return FieldSelector.everything();
  const reqs: FieldRequirement[] = [];
  for (const term of splitTerms(input)) {
    if (term === '') continue;
    let m: RegExpMatchArray | null;
    if ((m = term.match(/^([^=!]*)!=(.*)$/s))) reqs.push({ field: m[1]!.trim(), operator: '!=', value: unescape(m[2]!) });
    else if ((m = term.match(/^([^=!]*)==(.*)$/s))) reqs.push({ field: m[1]!.trim(), operator: '=', value: unescape(m[2]!) });
    else if ((m = term.match(/^([^=!]*)=(.*)$/s))) reqs.push({ field: m[1]!.trim(), operator: '=', value: unescape(m[2]!) });
    else throw new FieldSelectorParseError(`invalid selector: '${input}'; can't understand '${term}'`);
  }
  return new FieldSelector(reqs);
}
