/**
 * The CLI's argument checks, shared by its commands. Each failure is one line that names the argument and
 * the form it expects, and says what is actually wrong with the value given (a month that does not exist, a
 * directory that does not exist, a file that is not a key), not what a later step tripped over.
 */
import { userInfo } from 'node:os';
import type { KeyObject } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { EVIDENCE_KIND_IDS } from '../lambdas/collectors/registry';
import { publicKeyFrom } from '../lambdas/evidence/signer';
import { CliError, NO_REGION } from './cli-error';

const DATE_FORM = 'expected YYYY-MM-DD';

/** A commander parser for a UTC day, YYYY-MM-DD, that is a real date. */
export function isoDay(value: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) throw new InvalidArgumentError(`expected a date YYYY-MM-DD, got "${value}"`);
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12)
    throw new InvalidArgumentError(`month ${m[2]} does not exist (${DATE_FORM}, month 01-12)`);
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > days)
    throw new InvalidArgumentError(
      `day ${m[3]} does not exist: ${m[1]}-${m[2]} has ${days} days (${DATE_FORM})`,
    );
  return value;
}

/** `--from` and `--to` as a period: the last day may not come before the first. */
export function checkPeriod(from: string, to: string): void {
  if (to < from)
    throw new CliError(
      `--to ${to} is before --from ${from}: give the first day as --from and the last as --to (YYYY-MM-DD)`,
    );
}

/** A commander parser for `--account`: a 12-digit AWS account id. */
export function accountId(value: string): string {
  if (!/^\d{12}$/.test(value))
    throw new InvalidArgumentError(`expected a 12-digit account id, got "${value}"`);
  return value;
}

/**
 * A commander parser for `--account` where several accounts may be asked for (organization mode): one
 * 12-digit id, several comma-separated, or `all` (every account, as when the option is left out: []).
 * Repeating the option adds accounts. Each id is checked as `accountId` checks one.
 */
export function accountIds(value: string, previous: string[] = []): string[] {
  if (value === 'all') return previous;
  return [...new Set([...previous, ...value.split(',').map((id) => accountId(id.trim()))])];
}

/** A commander parser for `--collector` (repeatable, or comma-separated): known collector ids only. */
export function collectorIds(value: string, previous: string[] = []): string[] {
  const ids = value.split(',').filter(Boolean);
  const unknown = ids.filter((id) => !EVIDENCE_KIND_IDS.includes(id));
  if (unknown.length > 0) {
    throw new InvalidArgumentError(
      `unknown collector ${unknown.map((id) => JSON.stringify(id)).join(', ')}; known: ${EVIDENCE_KIND_IDS.join(', ')}`,
    );
  }
  return [...previous, ...ids];
}

type Kind = 'missing' | 'file' | 'directory' | 'other';

function kindOf(path: string): Kind {
  try {
    const s = statSync(path);
    return s.isDirectory() ? 'directory' : s.isFile() ? 'file' : 'other';
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'missing';
    throw new CliError(`${path}: ${(err as Error).message}`);
  }
}

/**
 * A directory the command will create or write into (`--out`): it may not exist yet, but neither it nor the
 * nearest existing folder above it may be a file. `name` is how the user gave it, e.g. `--out`.
 */
export function checkOutputDir(name: string, path: string): string {
  const full = resolve(path);
  const kind = kindOf(full);
  if (kind === 'file' || kind === 'other')
    throw new CliError(`${name} ${path} is a file, not a directory: give a directory to write into`);
  if (kind === 'missing') {
    let parent = dirname(full);
    while (kindOf(parent) === 'missing' && dirname(parent) !== parent) parent = dirname(parent);
    if (kindOf(parent) !== 'directory')
      throw new CliError(
        `${name} ${path} cannot be created: ${parent} is a file, not a directory; give a directory to write into`,
      );
  }
  return full;
}

/** A directory the command reads (`verify <dir>`): it must exist and be a directory. */
export function checkInputDir(name: string, path: string, expected: string): string {
  const full = resolve(path);
  const kind = kindOf(full);
  if (kind === 'missing') throw new CliError(`${name} ${path} does not exist; expected ${expected}`);
  if (kind !== 'directory')
    throw new CliError(`${name} ${path} is a file, not a directory; expected ${expected}`);
  return full;
}

/** What `--public-key` must hold, said the same way by every command that takes it. */
const PUBLIC_KEY_FORM =
  "a PEM public key (-----BEGIN PUBLIC KEY-----), e.g. from 'aws kms get-public-key', or its DER bytes";

/**
 * Reads a file named by an argument (`--decisions FILE`): a missing file, a directory and an unreadable file
 * are each said as such, with what the argument expects.
 */
export function readInputFile(name: string, file: string, expected: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' || code === 'ENOTDIR'
        ? 'does not exist'
        : code === 'EISDIR'
          ? 'is a directory, not a file'
          : code === 'EACCES' || code === 'EPERM'
            ? 'cannot be read: permission denied'
            : `cannot be read: ${(err as Error).message}`;
    throw new CliError(`${name} ${file} ${why}; expected ${expected}`);
  }
}

/** Reads `--public-key FILE`: a missing file and a file that is not a key are told apart. */
export function readPublicKey(name: string, file: string): KeyObject {
  const data = readInputFile(name, file, PUBLIC_KEY_FORM);
  try {
    return publicKeyFrom(data);
  } catch {
    throw new CliError(`${name} ${file} is not a PEM public key; expected ${PUBLIC_KEY_FORM}`);
  }
}

/**
 * Resolves an SDK client's region before the first call, so a machine without one is told what to set
 * instead of seeing the SDK's "Region is missing" wrapped in the first request's error.
 */
export async function requireRegion(client: { config: { region: () => Promise<string> } }): Promise<string> {
  try {
    const region = await client.config.region();
    if (region) return region;
  } catch {
    // fall through: the SDK found no region anywhere
  }
  throw new CliError(NO_REGION);
}

/** Who runs the command, by the operating system's login (the environment's when there is no passwd entry). */
export function loginName(): string | undefined {
  try {
    const name = userInfo().username;
    if (name) return name;
  } catch {
    // no passwd entry: fall back to the environment
  }
  return process.env.USER ?? process.env.LOGNAME;
}
