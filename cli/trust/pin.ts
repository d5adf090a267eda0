/**
 * `soc2-evidence pin`: the auditor's trust anchor, read once from the deployed stack. For every producer it
 * finds the signing key by its protected alias, checks it is a customer-managed P-256 signing key whose
 * policy no administrator could use to sign, and writes each producer's public key into a trust file that
 * every later `pull` and `verify` is given with `--trust`.
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import {
  DescribeKeyCommand,
  GetKeyPolicyCommand,
  GetPublicKeyCommand,
  KMSClient,
  type KeyMetadata,
} from '@aws-sdk/client-kms';
import { InvalidArgumentError, type Command } from 'commander';
import { ClientFactory } from '../../lambdas/aws/client-factory';
import { readAwsError } from '../../lambdas/aws/aws-error';
import { PRODUCER_IDS } from '../../lambdas/collectors/registry';
import { signingKeyAlias } from '../../lambdas/evidence/producers';
import { publicKeyFrom } from '../../lambdas/evidence/signer';
import { isKnownRegion } from '../../lib/config';
import { requireRegion } from '../arguments';
import { CliError } from '../cli-error';
import { EXIT_INTEGRITY } from '../package/manifest';
import { judgeKeyPolicy } from './key-policy';
import { renderTrustFile, TRUST_FILE_KIND, type TrustFile } from './trust-file';

export interface PinOptions {
  readonly stack: string;
  readonly out: string;
  /** Pin keys whose policy would let an administrator sign, recording why in the trust file. */
  readonly acceptUnlockedKeys?: boolean;
}

export interface PinDeps {
  readonly kms: KMSClient;
  readonly out: (line: string) => void;
  readonly now?: () => Date;
}

type Verdict =
  | { readonly kind: 'absent' }
  | { readonly kind: 'refused'; readonly line: string }
  | {
      readonly kind: 'pinned';
      readonly keyArn: string;
      readonly account?: string;
      readonly publicKey: string;
      readonly unlocked: readonly string[];
      readonly notes: readonly string[];
    };

/** `--out`: a new file in an existing directory; an existing trust file is never replaced. */
function checkTrustOut(out: string): void {
  if (existsSync(out))
    throw new CliError(
      `--out ${out} already exists: pin never replaces a trust file; give a new file name (keep the old one to compare)`,
    );
  if (!existsSync(dirname(resolve(out))))
    throw new CliError(
      `--out ${out} cannot be written: its directory ${dirname(resolve(out))} does not exist`,
    );
}

async function call<T>(what: string, alias: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (err) {
    const e = readAwsError(err);
    throw new CliError(`kms:${what} on ${alias}: ${e.code}: ${e.message}`);
  }
}

/** What is wrong with the key's kind, or undefined for a customer-managed ECC_NIST_P256 SIGN_VERIFY key. */
function kindProblem(meta: KeyMetadata): string | undefined {
  const wrong = [
    meta.KeySpec !== 'ECC_NIST_P256' ? `key spec ${meta.KeySpec ?? 'unknown'} (expected ECC_NIST_P256)` : '',
    meta.KeyUsage !== 'SIGN_VERIFY' ? `key usage ${meta.KeyUsage ?? 'unknown'} (expected SIGN_VERIFY)` : '',
    meta.KeyManager !== 'CUSTOMER' ? `key manager ${meta.KeyManager ?? 'unknown'} (expected CUSTOMER)` : '',
  ].filter(Boolean);
  return wrong.length ? `${wrong.join(', ')}: not a soc2-evidence signing key` : undefined;
}

async function judgeProducer(kms: KMSClient, stack: string, producer: string): Promise<Verdict> {
  const alias = signingKeyAlias(stack, producer);
  let meta: KeyMetadata | undefined;
  try {
    meta = (await kms.send(new DescribeKeyCommand({ KeyId: alias }))).KeyMetadata;
  } catch (err) {
    const e = readAwsError(err);
    if (e.code === 'NotFoundException') return { kind: 'absent' };
    throw new CliError(`kms:DescribeKey on ${alias}: ${e.code}: ${e.message}`);
  }
  const keyArn = meta?.Arn ?? meta?.KeyId;
  if (!meta || !keyArn) throw new CliError(`kms:DescribeKey on ${alias} returned no key`);
  const wrongKind = kindProblem(meta);
  if (wrongKind) return { kind: 'refused', line: `refused ${producer}: ${keyArn} (${alias}): ${wrongKind}` };
  const pub = await call('GetPublicKey', alias, () => kms.send(new GetPublicKeyCommand({ KeyId: keyArn })));
  if (!pub.PublicKey) throw new CliError(`kms:GetPublicKey on ${alias} returned no key`);
  const publicKey = publicKeyFrom(pub.PublicKey).export({ type: 'spki', format: 'pem' }).toString();
  const policy = await call('GetKeyPolicy', alias, () =>
    kms.send(new GetKeyPolicyCommand({ KeyId: keyArn, PolicyName: 'default' })),
  );
  const { unlocked, notes } = judgeKeyPolicy(policy.Policy ?? '');
  return {
    kind: 'pinned',
    keyArn,
    ...(meta.AWSAccountId ? { account: meta.AWSAccountId } : {}),
    publicKey,
    unlocked,
    notes,
  };
}

/**
 * Pins every deployed producer's key of `stack`. Returns the exit code: 0 when the trust file was written,
 * 4 when a key was refused (nothing is written then).
 */
export async function pin(options: PinOptions, deps: PinDeps): Promise<number> {
  checkTrustOut(options.out);
  const region = await requireRegion(deps.kms);
  const verdicts = new Map<string, Verdict>();
  for (const producer of PRODUCER_IDS)
    verdicts.set(producer, await judgeProducer(deps.kms, options.stack, producer));

  const absent = [...verdicts].filter(([, v]) => v.kind === 'absent').map(([p]) => p);
  const pinned = [...verdicts].flatMap(([p, v]) => (v.kind === 'pinned' ? [[p, v] as const] : []));
  if (pinned.length === 0 && absent.length === verdicts.size)
    throw new CliError(
      `no signing key of stack ${options.stack} in ${region} (no alias ${signingKeyAlias(options.stack, '<producer>')}): ` +
        'is the stack name right, and is it deployed in this region (--region, AWS_REGION or your profile)?',
    );
  const refused: string[] = [];
  for (const [producer, v] of verdicts) {
    if (v.kind === 'refused') refused.push(v.line);
    if (v.kind === 'pinned' && v.unlocked.length > 0 && !options.acceptUnlockedKeys)
      refused.push(`refused ${producer}: ${v.keyArn}: ${v.unlocked.join('; ')}`);
  }
  for (const p of absent)
    deps.out(
      `note: ${p} is not deployed (no alias ${signingKeyAlias(options.stack, p)}): nothing pinned for it`,
    );
  if (refused.length > 0) {
    for (const line of refused) deps.out(line);
    deps.out(
      `nothing written: ${refused.length} key(s) refused. An administrator could use such a key to sign evidence; ` +
        'pin anyway, with that recorded in the trust file, only with --accept-unlocked-keys',
    );
    return EXIT_INTEGRITY;
  }

  const accounts = [...new Set(pinned.flatMap(([, v]) => (v.account ? [v.account] : [])))];
  const warnings = pinned.flatMap(([p, v]) => v.unlocked.map((u) => `${p}: ${u}`));
  const where = `account ${accounts.join(', ') || 'unknown'}, ${region}`;
  const source =
    `stack ${options.stack}, ${where}` +
    (warnings.length
      ? `; UNLOCKED KEYS PINNED WITH --accept-unlocked-keys (an administrator could sign with them): ${warnings.join('; ')}`
      : '');
  const file: TrustFile = {
    schemaVersion: 1,
    kind: TRUST_FILE_KIND,
    pinnedAt: (deps.now ?? (() => new Date()))().toISOString(),
    source,
    producers: Object.fromEntries(pinned.map(([p, v]) => [p, { keyArn: v.keyArn, publicKey: v.publicKey }])),
  };
  try {
    await writeFile(options.out, renderTrustFile(file), { flag: 'wx' });
  } catch (err) {
    throw new CliError(`--out ${options.out} cannot be written: ${readAwsError(err).message}`);
  }
  for (const [p, v] of pinned) {
    deps.out(`pinned ${p}: ${v.keyArn}`);
    for (const n of v.notes) deps.out(`  note: ${n}`);
    for (const u of v.unlocked) deps.out(`  WARNING (accepted with --accept-unlocked-keys): ${u}`);
  }
  deps.out(
    `wrote ${options.out}: ${pinned.length} producer key(s) of stack ${options.stack} (${where}); ` +
      `give it to pull and verify with --trust ${options.out}`,
  );
  return 0;
}

function stackName(value: string): string {
  if (!/^[A-Za-z][A-Za-z0-9-]{0,127}$/.test(value))
    throw new InvalidArgumentError(
      `expected a CloudFormation stack name (a letter, then letters, digits and hyphens), got "${value}"`,
    );
  return value;
}

function region(value: string): string {
  if (!isKnownRegion(value))
    throw new InvalidArgumentError(`expected a region code such as us-east-1, got "${value}"`);
  return value;
}

/** The `pin` command; `out` receives the report lines. */
export function registerPin(program: Command, out: (line: string) => void): void {
  program
    .command('pin')
    .description(
      "Read each producer's signing key of a deployed stack (KMS alias alias/<stack>/signing/<producer>), check that no " +
        'administrator could sign with it (key spec, key policy) and write the public keys as a trust file for pull and ' +
        'verify --trust. Exit 4: a key was refused (nothing written).',
    )
    .requiredOption('--stack <name>', 'the deployed stack whose keys to pin', stackName)
    .requiredOption('--out <file>', 'the trust file to write (never replaced if it exists)')
    .option(
      '--region <code>',
      "the stack's region (default: the SDK's, AWS_REGION or your profile's)",
      region,
    )
    .option(
      '--accept-unlocked-keys',
      'pin keys whose policy would let an administrator sign, recording that in the trust file',
    )
    .action(async (opts: { stack: string; out: string; region?: string; acceptUnlockedKeys?: boolean }) => {
      checkTrustOut(opts.out);
      const kms = new ClientFactory().get(KMSClient, opts.region);
      process.exitCode = await pin(opts, { kms, out });
    });
}
