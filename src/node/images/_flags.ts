// Go/pflag-style command-line parsing for the built-in image programs, so that the argument
// lists written for the upstream images (`--http-port=8080`, `--udp`, `--timeout 3s`) work as is.

export type FlagKind = 'string' | 'int' | 'bool' | 'duration';
export type FlagValue = string | number | boolean;

export interface ParsedFlags {
  /** Values by flag name; flags not given keep their default. Durations are milliseconds. */
  values: Record<string, FlagValue>;
  positional: string[];
}

export interface FlagSpec {
  kind: FlagKind;
  default: FlagValue;
}

export class FlagError extends Error {
  override readonly name = 'FlagError';
}

/**
 * Parses `--name=value`, `--name value`, `-name=value`, boolean `--name` / `--name=false`, and
 * `--` (everything after it is positional). Unknown flags are an error, as with cobra.
 */
export function parseFlags(argv: readonly string[], spec: Readonly<Record<string, FlagSpec>>): ParsedFlags {
  const values: Record<string, FlagValue> = {};
  for (const [name, s] of Object.entries(spec)) values[name] = s.default;
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    const body = arg.replace(/^--?/, '');
    const eq = body.indexOf('=');
    const name = eq >= 0 ? body.slice(0, eq) : body;
    const s = spec[name];
    if (!s) throw new FlagError(`unknown flag: --${name}`);
    let raw: string;
    if (eq >= 0) raw = body.slice(eq + 1);
    else if (s.kind === 'bool') raw = 'true';
    else {
      const next = argv[i + 1];
      if (next === undefined) throw new FlagError(`flag needs an argument: --${name}`);
      raw = next;
      i++;
    }
    values[name] = convert(name, s.kind, raw);
  }
  return { values, positional };
}

function convert(name: string, kind: FlagKind, raw: string): FlagValue {
  switch (kind) {
    case 'string':
      return raw;
    case 'int': {
      if (!/^[-+]?\d+$/.test(raw)) throw new FlagError(`invalid argument "${raw}" for "--${name}" flag: parse error`);
      return Number(raw);
    }
    case 'bool': {
      const v = raw.toLowerCase();
      if (['1', 't', 'true'].includes(v)) return true;
      if (['0', 'f', 'false'].includes(v)) return false;
      throw new FlagError(`invalid argument "${raw}" for "--${name}" flag: parse error`);
    }
    case 'duration':
      return parseGoDuration(raw, `--${name}`);
    default: {
      const never: never = kind;
      return never;
    }
  }
}

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Parses a Go duration ("3s", "1m30s", "250ms", "0") into milliseconds. */
export function parseGoDuration(raw: string, what = 'duration'): number {
  if (raw === '0') return 0;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/gy;
  let sign = 1;
  let s = raw;
  if (s.startsWith('-') || s.startsWith('+')) {
    if (s.startsWith('-')) sign = -1;
    s = s.slice(1);
  }
  if (s === '') throw new FlagError(`invalid ${what} "${raw}"`);
  let total = 0;
  let pos = 0;
  while (pos < s.length) {
    re.lastIndex = pos;
    const m = re.exec(s);
    if (!m || m[1] === undefined || m[2] === undefined) throw new FlagError(`invalid ${what} "${raw}"`);
    total += Number(m[1]) * (UNIT_MS[m[2]] ?? 0);
    pos = re.lastIndex;
  }
  return sign * total;
}
