import { join, resolve, sep } from 'node:path';

/**
 * The file an evidence key maps to under `root`, or undefined when the key would leave it (`..` segments,
 * a key that is only the root). Keys come from a bucket someone else can write to, so every place that
 * turns a key into a path (the directory store, the directory reader, pull's package) asks this one check.
 */
export function pathUnder(root: string, key: string): string | undefined {
  const base = resolve(root);
  const path = join(base, ...key.split('/'));
  return path.startsWith(base + sep) ? path : undefined;
}
