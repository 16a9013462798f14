// store/: the revisioned key-value store. Backends are chosen by URL scheme (STYLE.md 7).
import { SqliteStore } from './sqlite.js';
import type { Store } from './types.js';

export * from './types.js';
export { SqliteStore } from './sqlite.js';

/** Opens a store by URL: `sqlite://PATH` (PATH may be relative) or `sqlite://:memory:`. */
export function openStore(url: string): Store {
  const m = /^([a-z0-9]+):\/\/(.*)$/.exec(url);
  if (!m) throw new Error(`Cannot open store ${url}: expected SCHEME://LOCATION`);
  const [, scheme, location] = m;
  switch (scheme) {
    case 'sqlite':
      if (!location) throw new Error(`Cannot open store ${url}: sqlite needs a file path`);
      return new SqliteStore(location);
    default:
      throw new Error(`Cannot open store ${url}: unknown scheme "${scheme}" (supported: sqlite)`);
  }
}
