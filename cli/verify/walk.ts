import { constants, type Stats } from 'node:fs';
import { lstat, open, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The package as it is on disk, seen with lstat only: regular files with their sizes, and every other kind
 * of entry (a symbolic link, a FIFO, a socket, a device) as a problem named by its path. Nothing is followed
 * and nothing is opened here.
 */
export interface PackageTree {
  /** Package-relative path (with `/`) → size in bytes, for every regular file. */
  readonly files: ReadonlyMap<string, number>;
  /** Paths of entries that are not regular files or directories, with what they are. */
  readonly special: ReadonlyMap<string, string>;
}

function kindOf(st: Stats): string | undefined {
  if (st.isSymbolicLink()) return 'a symbolic link';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isSocket()) return 'a socket';
  if (st.isBlockDevice() || st.isCharacterDevice()) return 'a device';
  if (st.isFile() || st.isDirectory()) return undefined;
  return 'neither a file nor a directory';
}

export async function walkPackage(root: string): Promise<PackageTree> {
  const files = new Map<string, number>();
  const special = new Map<string, string>();
  const visit = async (dir: string, prefix: string) => {
    const names = (await readdir(dir)).sort();
    for (const name of names) {
      const path = `${prefix}${name}`;
      const st = await lstat(join(dir, name));
      const kind = kindOf(st);
      if (kind) special.set(path, kind);
      else if (st.isDirectory()) await visit(join(dir, name), `${path}/`);
      else files.set(path, st.size);
    }
  };
  await visit(root, '');
  return { files, special };
}

/** Why a file could not be read within its bound. */
export class UnreadableFile extends Error {}

/**
 * Reads a package file that the walk saw as a regular file of `size` bytes, and nothing more: opened without
 * following a link (O_NOFOLLOW) and without blocking on a pipe, checked again to be a regular file of that
 * size, and read to exactly that length.
 */
export async function readExactly(root: string, path: string, size: number): Promise<Buffer> {
  const flags = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);
  const handle = await open(join(root, ...path.split('/')), flags).catch((err: NodeJS.ErrnoException) => {
    throw new UnreadableFile(`cannot be opened (${err.code ?? err.message})`);
  });
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw new UnreadableFile('is no longer a regular file');
    if (st.size !== size) throw new UnreadableFile(`changed size while verify read it (${st.size} bytes)`);
    const body = Buffer.alloc(size);
    let done = 0;
    while (done < size) {
      const { bytesRead } = await handle.read(body, done, size - done, done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    if (done !== size) throw new UnreadableFile(`ended after ${done} of ${size} bytes`);
    return body;
  } finally {
    await handle.close();
  }
}
