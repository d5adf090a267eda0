import { createHash } from 'node:crypto';

/**
 * Canonical JSON (RFC 8785 for the values evidence holds): object keys sorted by UTF-16 code units, no
 * insignificant whitespace, ECMAScript number and string serialisation. The same envelope always gives
 * the same bytes, so its SHA-256 can be recomputed by anyone who parses and re-serialises it.
 */
export function canonicalJson(value: unknown): string {
  return serialise(value, '$');
}

function serialise(value: unknown, path: string): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`${path}: ${value} has no JSON form`);
      return JSON.stringify(value);
    case 'object':
      break;
    default:
      throw new TypeError(`${path}: a ${typeof value} has no JSON form`);
  }
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map((item, i) => serialise(item, `${path}[${i}]`)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${serialise(v, `${path}.${k}`)}`).join(',')}}`;
}

/** The same bytes as `Buffer.from(canonicalJson(value), 'utf8')`, written through a CanonicalWriter. */
export function canonicalBytes(value: unknown): Uint8Array {
  return new CanonicalWriter().value(value).bytes();
}

/** Text gathered before it is encoded into a chunk of bytes. */
const CHUNK_CHARS = 1 << 16;
/** Distinct object keys whose quoted form a writer keeps (keys are few; a map used as data is not). */
const MAX_CACHED_KEYS = 1024;

/**
 * Canonical JSON written into UTF-8 chunks as it is produced, the same bytes as canonicalJson gives. A large
 * source (a population, a week of backup jobs) then costs about its own size once: canonicalJson builds each
 * nested value's text and copies it into its parent's, so a document of depth d is copied d times over and the
 * whole text is held as one string before it is encoded. A writer also takes a document a piece at a time
 * (`text` for the punctuation the caller writes, `value` for each element), so a collector can write an array
 * page by page and keep no page once it is written.
 */
export class CanonicalWriter {
  private readonly chunks: Buffer[] = [];
  private parts: string[] = [];
  private pending = 0;
  private written = 0;
  /** Keys and indexes from the root to the value being written, for an error that names where it is. */
  private readonly path: (string | number)[] = [];
  private readonly keys = new Map<string, string>();

  /** Appends text as it is: the caller's own JSON punctuation (`[`, `,`, `"key":`). */
  text(text: string): this {
    this.parts.push(text);
    this.pending += text.length;
    if (this.pending >= CHUNK_CHARS) this.flush();
    return this;
  }

  /** Appends the canonical JSON of `value`; throws naming the path of a value with no JSON form. */
  value(value: unknown): this {
    this.write(value);
    return this;
  }

  /** Appends what another writer has written (its bytes are moved, not copied); `other` is left empty. */
  append(other: CanonicalWriter): this {
    other.flush();
    this.flush();
    this.chunks.push(...other.chunks.splice(0));
    this.written += other.written;
    other.written = 0;
    return this;
  }

  /** Bytes written so far. */
  get byteLength(): number {
    this.flush();
    return this.written;
  }

  /** Everything written, as one buffer; the writer is left empty. */
  bytes(): Buffer {
    this.flush();
    const out = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.written);
    this.chunks.length = 0;
    this.written = 0;
    return out;
  }

  private flush(): void {
    if (this.parts.length === 0) return;
    const chunk = Buffer.from(this.parts.join(''), 'utf8');
    this.parts = [];
    this.pending = 0;
    this.chunks.push(chunk);
    this.written += chunk.byteLength;
  }

  /** `"key":`, kept per key: a large document repeats the same few keys on every element. */
  private key(k: string): string {
    let quoted = this.keys.get(k);
    if (quoted === undefined) {
      quoted = `${JSON.stringify(k)}:`;
      if (this.keys.size < MAX_CACHED_KEYS) this.keys.set(k, quoted);
    }
    return quoted;
  }

  private fail(reason: string): never {
    const where = this.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('');
    throw new TypeError(`$${where}: ${reason}`);
  }

  private write(value: unknown): void {
    if (value === null) {
      this.text('null');
      return;
    }
    switch (typeof value) {
      case 'boolean':
        this.text(value ? 'true' : 'false');
        return;
      case 'string':
        this.text(JSON.stringify(value));
        return;
      case 'number':
        if (!Number.isFinite(value)) this.fail(`${value} has no JSON form`);
        this.text(JSON.stringify(value));
        return;
      case 'object':
        break;
      default:
        this.fail(`a ${typeof value} has no JSON form`);
    }
    if (value instanceof Date) {
      this.text(JSON.stringify(value.toISOString()));
      return;
    }
    if (Array.isArray(value)) {
      this.text('[');
      for (let i = 0; i < value.length; i++) {
        if (i > 0) this.text(',');
        this.path.push(i);
        this.write(value[i]);
        this.path.pop();
      }
      this.text(']');
      return;
    }
    const record = value as Record<string, unknown>;
    // Array.prototype.sort's default order compares UTF-16 code units, as RFC 8785 sorts keys.
    const keys = Object.keys(record).sort();
    let first = true;
    this.text('{');
    for (const k of keys) {
      const v = record[k];
      if (v === undefined) continue;
      this.text(first ? this.key(k) : `,${this.key(k)}`);
      first = false;
      this.path.push(k);
      this.write(v);
      this.path.pop();
    }
    this.text('}');
  }
}

export function sha256Hex(body: Uint8Array | string): string {
  return createHash('sha256').update(body).digest('hex');
}

/** The form S3 uses for `x-amz-checksum-sha256`: the raw digest, base64. */
export function sha256Base64(body: Uint8Array | string): string {
  return createHash('sha256').update(body).digest('base64');
}

export function hexToBase64(hex: string): string {
  return Buffer.from(hex, 'hex').toString('base64');
}
