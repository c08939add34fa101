/**
 * Where the console keeps its seat and the steers and marks not yet acknowledged: the page's
 * localStorage, under keys of its own. The same browser may also be a client's device in the
 * same room (a laptop shared for a moment, a test with two tabs); with its own keys the console's
 * seat is never taken for the client's, nor the client's for the console's.
 */
import type { KeyValueStore } from '../live/kept.ts';

/** The prefix of every key the console writes. */
export const CONSOLE_PREFIX = 'attune.console:';

/**
 * A view of `store` holding only the keys under `prefix` (without it), so the connection's own
 * key names and its listing of keys work unchanged inside it.
 */
export function prefixedStore(store: KeyValueStore, prefix = CONSOLE_PREFIX): KeyValueStore {
  const mine = (): string[] => {
    const keys: string[] = [];
    for (let i = 0; i < store.length; i++) {
      const key = store.key(i);
      if (key?.startsWith(prefix)) keys.push(key.slice(prefix.length));
    }
    return keys;
  };
  return {
    getItem: (key) => store.getItem(prefix + key),
    setItem: (key, value) => store.setItem(prefix + key, value),
    removeItem: (key) => store.removeItem(prefix + key),
    key: (index) => mine()[index] ?? null,
    get length() {
      return mine().length;
    },
  };
}
