import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { GetPublicKeyCommand, SignCommand, type KMSClient } from '@aws-sdk/client-kms';

/**
 * Proof of origin: every evidence object carries an ECDSA P-256 signature over its SHA-256 digest.
 *
 * KMS `Sign` with `MessageType: DIGEST` and `ECDSA_SHA_256` signs the 32-byte digest exactly as signing the
 * whole message with SHA-256 would, so `openssl dgst -sha256 -verify pub.pem -signature sig.der FILE`
 * checks it with nothing but the public key. Signatures are DER, carried base64 in object metadata.
 */
export interface Signature {
  /** Base64 DER ECDSA signature. */
  readonly signature: string;
  /** The key that made it: a KMS key ARN, or a local label. */
  readonly keyId: string;
}

export interface Signer {
  readonly keyId: string;
  /** Signs `body`, whose hex SHA-256 the caller already computed (KMS only ever sees the digest). */
  sign(body: Uint8Array, sha256Hex: string): Promise<Signature>;
}

/** S3 user metadata names (sent as `x-amz-meta-signature` and `x-amz-meta-signing-key`). */
export const SIGNATURE_METADATA = 'signature';
export const SIGNING_KEY_METADATA = 'signing-key';

export class KmsSigner implements Signer {
  constructor(
    private readonly kms: KMSClient,
    readonly keyId: string,
  ) {}

  async sign(_body: Uint8Array, sha256Hex: string): Promise<Signature> {
    const digest = Buffer.from(sha256Hex, 'hex');
    if (digest.length !== 32) throw new Error(`a SHA-256 digest is 32 bytes, got ${digest.length}`);
    const out = await this.kms.send(
      new SignCommand({
        KeyId: this.keyId,
        Message: digest,
        MessageType: 'DIGEST',
        SigningAlgorithm: 'ECDSA_SHA_256',
      }),
    );
    if (!out.Signature) throw new Error(`KMS Sign with ${this.keyId} returned no signature`);
    return { signature: Buffer.from(out.Signature).toString('base64'), keyId: out.KeyId ?? this.keyId };
  }
}

/** A P-256 key held in memory: for tests, the offline demo and local directory stores. */
export class LocalSigner implements Signer {
  readonly publicKey: KeyObject;

  constructor(
    private readonly privateKey: KeyObject,
    readonly keyId = 'local',
  ) {
    if (
      privateKey.asymmetricKeyType !== 'ec' ||
      privateKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1'
    ) {
      throw new Error('LocalSigner needs an EC P-256 (prime256v1) private key');
    }
    this.publicKey = createPublicKey(privateKey);
  }

  static generate(keyId = 'local'): LocalSigner {
    return new LocalSigner(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey, keyId);
  }

  static fromPem(pem: string, keyId = 'local'): LocalSigner {
    return new LocalSigner(createPrivateKey(pem), keyId);
  }

  publicKeyPem(): string {
    return this.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  }

  async sign(body: Uint8Array): Promise<Signature> {
    // Node hashes the body itself; the result is the same as KMS signing its SHA-256 digest.
    return { signature: sign('sha256', body, this.privateKey).toString('base64'), keyId: this.keyId };
  }
}

/** Checks a base64 DER ECDSA-SHA256 signature over `body`. */
export function verifySignature(body: Uint8Array, signatureBase64: string, publicKey: KeyObject): boolean {
  try {
    return verify('sha256', body, publicKey, Buffer.from(signatureBase64, 'base64'));
  } catch {
    return false; // malformed DER is a bad signature, not a crash
  }
}

/** Reads a PEM (SPKI) or DER public key file's content. */
export function publicKeyFrom(data: Uint8Array | string): KeyObject {
  const text = typeof data === 'string' ? data : Buffer.from(data).toString('latin1');
  if (text.includes('-----BEGIN')) return createPublicKey(text);
  return createPublicKey({ key: Buffer.from(data), format: 'der', type: 'spki' });
}

/** The signing key's public half from KMS (needs kms:GetPublicKey). */
export async function fetchKmsPublicKey(kms: KMSClient, keyId: string): Promise<KeyObject> {
  const out = await kms.send(new GetPublicKeyCommand({ KeyId: keyId }));
  if (!out.PublicKey) throw new Error(`KMS GetPublicKey for ${keyId} returned no key`);
  return publicKeyFrom(out.PublicKey);
}
