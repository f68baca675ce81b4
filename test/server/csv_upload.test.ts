import { Readable } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { HttpError } from '../../server/errors.js';
import { streamRequestBody } from '../../server/imports/csv_upload.js';

/** A request whose body arrives in the given pieces, with the given headers. */
function request(pieces: readonly string[], headers: Record<string, string> = {}): IncomingMessage {
  let sent = 0;
  const stream = new Readable({
    read() {
      if (sent < pieces.length) {
        this.push(Buffer.from(pieces[sent++], 'utf8'));
      } else {
        this.push(null);
      }
    },
  });
  Object.assign(stream, { headers: { 'content-type': 'text/csv', ...headers } });
  return stream as unknown as IncomingMessage;
}

/** Reads a request body through streamRequestBody, keeping the pieces handed over. */
async function readBody(req: IncomingMessage, limit: { bytes: number; tooLarge: string }): Promise<Buffer[]> {
  const pieces: Buffer[] = [];
  await streamRequestBody(req, limit, 'the CSV', (chunk) => pieces.push(chunk));
  return pieces;
}

describe('streamRequestBody', () => {
  const limit = { bytes: 1000, tooLarge: 'The import is larger than the limit of 1000 bytes.' };

  it('hands every piece of a body under the limit to the reader, as bytes', async () => {
    const body = ['unit,value\n', 'a,1\n', 'b,2\n'];
    const pieces = await readBody(request(body), limit);
    expect(pieces.every((c) => c instanceof Uint8Array)).toBe(true);
    expect(Buffer.concat(pieces).toString('utf8')).toBe(body.join(''));
  });

  it('answers 413 with one sentence as soon as the body passes the limit, keeping none of it', async () => {
    const req = request(Array.from({ length: 50 }, () => 'x'.repeat(99) + '\n'));
    const err = await readBody(req, limit).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).status).toBe(413);
    expect((err as HttpError).message).toBe(limit.tooLarge);
  });

  it('refuses a declared Content-Length over the limit before reading the body', async () => {
    const req = request(['a,b\n', '1,2\n'], { 'content-length': '5000' });
    const err = await readBody(req, limit).then(() => null, (e: unknown) => e);
    expect((err as HttpError).status).toBe(413);
    expect((err as HttpError).message).toBe(limit.tooLarge);
  });

  it('refuses a compressed body and another charset than UTF-8 (415)', async () => {
    const gzip = await readBody(request(['a\n'], { 'content-encoding': 'gzip' }), limit).then(() => null, (e: unknown) => e);
    expect((gzip as HttpError).status).toBe(415);
    const latin = await readBody(request(['a\n'], { 'content-type': 'text/csv; charset=latin1' }), limit).then(() => null, (e: unknown) => e);
    expect((latin as HttpError).status).toBe(415);
    expect((latin as HttpError).message).toBe("The request body's encoding is not supported; send UTF-8.");
  });
});
