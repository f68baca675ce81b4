import { gzipSync } from 'node:zlib';

/** One file of an archive: its path inside the archive (forward slashes) and its bytes. */
export interface ArchiveFile {
  readonly path: string;
  readonly content: Buffer | string;
}

const BLOCK = 512;

/** Writes `value` as a NUL-terminated octal field of `length` bytes at `offset`. */
function octal(header: Buffer, offset: number, length: number, value: number): void {
  header.write(value.toString(8).padStart(length - 1, '0') + '\0', offset, length, 'ascii');
}

/**
 * The 512-byte POSIX ustar header of a regular file (IEEE Std 1003.1-2017, pax "ustar
 * Interchange Format"): name split into prefix (≤ 155 bytes) and name (≤ 100 bytes), mode 0644,
 * owner 0, a fixed modification time (so the same files give the same archive), and the
 * checksum over the header with its own field read as spaces.
 */
function ustarHeader(path: string, size: number, mtime: number): Buffer {
  const header = Buffer.alloc(BLOCK, 0);
  const bytes = Buffer.from(path, 'utf8');
  let name = path;
  let prefix = '';
  if (bytes.length > 100) {
    const cut = path.lastIndexOf('/', path.length - 1);
    prefix = cut > 0 ? path.slice(0, cut) : '';
    name = cut > 0 ? path.slice(cut + 1) : path;
    if (Buffer.byteLength(prefix) > 155 || Buffer.byteLength(name) > 100 || prefix === '') {
      throw new Error(`the archive path "${path}" is too long for a ustar header.`);
    }
  }
  header.write(name, 0, 100, 'utf8');
  octal(header, 100, 8, 0o644);
  octal(header, 108, 8, 0);
  octal(header, 116, 8, 0);
  octal(header, 124, 12, size);
  octal(header, 136, 12, Math.floor(mtime / 1000));
  header.fill(0x20, 148, 156);
  header.write('0', 156, 1, 'ascii');
  header.write('ustar\u000000', 257, 8, 'ascii');
  header.write('root', 265, 32, 'ascii');
  header.write('root', 297, 32, 'ascii');
  header.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const b of header) sum += b;
  header.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'ascii');
  return header;
}

/**
 * A gzip-compressed tar archive of `files`, in the order given, every entry dated `mtime`
 * (milliseconds since the epoch). Readable by `tar xzf`, R's `untar()` and any unzip tool that
 * knows tar.gz. node's zlib does the compression; the tar layout is the few lines above.
 */
export function tarGz(files: readonly ArchiveFile[], mtime: number): Buffer {
  const parts: Buffer[] = [];
  for (const file of files) {
    const body = typeof file.content === 'string' ? Buffer.from(file.content, 'utf8') : file.content;
    parts.push(ustarHeader(file.path, body.length, mtime), body);
    const pad = (BLOCK - (body.length % BLOCK)) % BLOCK;
    if (pad > 0) parts.push(Buffer.alloc(pad, 0));
  }
  parts.push(Buffer.alloc(2 * BLOCK, 0));
  return gzipSync(Buffer.concat(parts), { level: 9 });
}
