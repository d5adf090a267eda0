import { messageOf } from '../../lambdas/aws/aws-error';
import { readInputFile, readPublicKey } from '../arguments';
import { CliError } from '../cli-error';
import { anchorOf, parseTrustFile, type TrustAnchor } from './trust-file';

export interface TrustOptions {
  /** `--trust FILE`: the producers' public keys pinned by `soc2-evidence pin`. */
  readonly trust?: string;
  /** `--public-key FILE` (repeatable): keys trusted for every producer. */
  readonly publicKey?: readonly string[];
}

const TRUST_FORM = 'a trust file written by `soc2-evidence pin` (JSON with kind "soc2-evidence-trust")';

/**
 * The trust anchor of `pull` and `verify`: what the auditor pinned, never what the package or the objects'
 * metadata offer. Without one, nothing is verified: signatures would only prove that someone had a key.
 */
export function loadTrustAnchor(command: string, options: TrustOptions): TrustAnchor {
  const unbound = (options.publicKey ?? []).map((f) => readPublicKey('--public-key', f));
  if (options.trust) {
    const text = readInputFile('--trust', options.trust, TRUST_FORM).toString('utf8');
    try {
      return anchorOf(parseTrustFile(text), unbound);
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
