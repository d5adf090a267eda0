import type { KeyObject } from 'node:crypto';
import type { KMSClient } from '@aws-sdk/client-kms';
import { messageOf } from '../../lambdas/aws/aws-error';
import { fetchKmsPublicKey } from '../../lambdas/evidence/signer';
import { readPublicKey } from '../arguments';

export interface PublicKeys {
  /** Signing key id → its public half, for the signature checks. */
  readonly keys: ReadonlyMap<string, KeyObject>;
  /** Signing key id → the package file holding its PEM (manifest `publicKeys`). */
  readonly files: Record<string, string>;
  /** Package file name → PEM text. */
  readonly pems: ReadonlyMap<string, string>;
  /** Keys that could not be fetched: the objects they signed show as `no-public-key`. */
  readonly notes: readonly string[];
}

function pemFileName(keyId: string): string {
  const tail = keyId.split(/[/:]/).pop() || 'key';
  return `signing-key-${tail.replace(/[^A-Za-z0-9._-]/g, '_')}.pem`;
}

const pemOf = (key: KeyObject) => key.export({ type: 'spki', format: 'pem' }).toString();

/** The public keys of `signingKeys`: the auditor's own file wins; otherwise KMS is asked for each. */
export async function publicKeysFor(
  signingKeys: readonly string[],
  publicKeyFile: string | undefined,
  kms: KMSClient | undefined,
): Promise<PublicKeys> {
  const keys = new Map<string, KeyObject>();
  const files: Record<string, string> = {};
  const pems = new Map<string, string>();
  const notes: string[] = [];
  if (publicKeyFile) {
    const key = readPublicKey('--public-key', publicKeyFile);
    pems.set('signing-key.pem', pemOf(key));
    for (const id of signingKeys) {
      keys.set(id, key);
      files[id] = 'signing-key.pem';
    }
    return { keys, files, pems, notes };
  }
  for (const id of signingKeys) {
    if (!kms) break;
    try {
      const key = await fetchKmsPublicKey(kms, id);
      keys.set(id, key);
      const file = pemFileName(id);
      pems.set(file, pemOf(key));
      files[id] = file;
    } catch (err) {
      notes.push(`cannot fetch the public key of ${id} (kms:GetPublicKey): ${messageOf(err)}`);
    }
  }
  return { keys, files, pems, notes };
}
