import { messageOf } from '../../lambdas/aws/aws-error';
import { readInputFile, readPublicKey } from '../arguments';
import { CliError } from '../cli-error';
import { anchorOf, parseTrustFile, type TrustAnchor } from './trust-file';

export interface TrustOptions {
  /** `--trust FILE`: the producers' public keys pinned by `soc2-evidence pin`. */
  readonly trust?: string;
  /** `--public-key FILE` (repeatable): keys trusted for every producer; never beside `--trust`. */
  readonly publicKey?: readonly string[];
}

const TRUST_FORM = 'a trust file written by `soc2-evidence pin` (JSON with kind "soc2-evidence-trust")';

/** Why `--public-key` may not join `--trust`, in one line. */
export const PUBLIC_KEY_BESIDE_TRUST =
  "--public-key cannot be given beside --trust: a --public-key key is trusted for every producer, which would undo the trust file's binding of each key to its producer; pin that key with 'soc2-evidence pin' instead, or give --public-key alone";

/**
 * The trust anchor of `pull` and `verify`: what the auditor pinned, never what the package or the objects'
 * metadata offer. Without one, nothing is verified: signatures would only prove that someone had a key.
 * `--public-key` keys are trusted for every producer, so they are taken alone (a single-key deployment) and
 * never beside a trust file, whose point is that each producer's evidence verifies only with its own key.
 */
export function loadTrustAnchor(command: string, options: TrustOptions): TrustAnchor {
  if (options.trust && (options.publicKey ?? []).length > 0) throw new CliError(PUBLIC_KEY_BESIDE_TRUST);
  const unbound = (options.publicKey ?? []).map((f) => readPublicKey('--public-key', f));
  if (options.trust) {
    const text = readInputFile('--trust', options.trust, TRUST_FORM).toString('utf8');
    try {
      return anchorOf(parseTrustFile(text));
    } catch (err) {
      throw new CliError(`--trust ${options.trust}: ${messageOf(err)}; expected ${TRUST_FORM}`);
    }
  }
  if (unbound.length > 0)
    return { source: `--public-key ${options.publicKey!.join(', ')}`, producers: new Map(), unbound };
  throw new CliError(
    `${command} needs a trust anchor: --trust FILE (the signing keys pinned with 'soc2-evidence pin') or --public-key FILE; keys named by the evidence or kept in a package prove nothing`,
  );
}
