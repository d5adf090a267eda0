import { sha256Hex } from '../../lambdas/evidence/canonical-json';
import type { Manifest, ManifestObject } from '../package/manifest';
import type { TrustAnchor } from '../trust/trust-file';
import type { Problems } from './problems';
import { readExactly, UnreadableFile, type PackageTree } from './walk';

/** What every verify step shares: the package as walked, its manifest, the anchor and the problems. */
export class VerifyContext {
  /** Bytes read so far (each file at most once), by package path. */
  readonly bodies = new Map<string, Buffer>();
  /** Paths already reported missing, so another view's listing of them is not said twice. */
  readonly missing = new Set<string>();
  readonly byKey: ReadonlyMap<string, ManifestObject>;

  constructor(
    readonly root: string,
    readonly tree: PackageTree,
    readonly manifest: Manifest,
    readonly anchor: TrustAnchor,
    readonly problems: Problems,
  ) {
    this.byKey = new Map(manifest.objects.map((o) => [o.key, o]));
  }

  /**
   * The bytes of `path`, read only when it is a regular file of the `expected` size that `source` records
   * (a digest, manifest.json); otherwise an integrity problem and undefined.
   */
  async read(path: string, expected: number, source: string): Promise<Buffer | undefined> {
    const known = this.bodies.get(path);
    if (known) return known;
    const size = this.tree.files.get(path);
    if (size === undefined) return undefined;
    if (size !== expected) {
      this.problems.integrity(`${path}: ${size} bytes, ${source} records ${expected}: not read`);
      return undefined;
    }
    try {
      const body = await readExactly(this.root, path, size);
      this.bodies.set(path, body);
      return body;
    } catch (err) {
      if (!(err instanceof UnreadableFile)) throw err;
      this.problems.integrity(`${path}: ${err.message}`);
      return undefined;
    }
  }

  sha256Of(path: string): string | undefined {
    const body = this.bodies.get(path);
    return body ? sha256Hex(body) : undefined;
  }
}
