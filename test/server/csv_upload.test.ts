import { Readable } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { csvRecords } from '../../analysis/data/csv_records.js';
import { HttpError } from '../../server/errors.js';
import { normalizeCsv } from '../../server/imports/csv_dialect.js';
import { csvUploadFromChunks, readCsvUpload } from '../../server/imports/csv_upload.js';

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

/** Splits text into pieces of `size` bytes (cutting records, quoted fields and UTF-8 characters anywhere). */
function pieces(text: string, size: number): Buffer[] {
  const bytes = Buffer.from(text, 'utf8');
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

const SEMICOLON = '\uFEFFunit;period;measure;value;note\nteam-a;2026Q1;cycle time;4,5;"Köln; Nord"\n\nteam-a;2026Q2;cycle time;-0,25;"a ""quoted"" note\nover two lines"\nteam-a;2026Q3;rate;3;Einkauf, Süd\n';
const TAB = 'key\tname\tvalue\nt-1\tTab one, the first\t0,125\r\nt-2\t"x"\t7\n';

describe('a CSV upload read as bytes', () => {
  for (const [label, text] of [['semicolon with decimal commas', SEMICOLON], ['tab-separated', TAB], ['plain CSV', 'a,b\n1,"2,5"\n3,4\n']] as const) {
    it(`reads a ${label} file as normalizeCsv's text reads, whatever the pieces it arrives in`, () => {
      const expected = csvRecords(normalizeCsv(text)!, 'up', 'up');
      for (const size of [1, 2, 3, 7, 64, 1 << 20]) {
        const upload = csvUploadFromChunks(pieces(text, size));
        const got = csvRecords(upload.source, 'up', 'up');
        expect(got.header, `pieces of ${size}`).toEqual(expected.header);
        expect(got.records.map((r) => r.map((f) => f.trim())), `pieces of ${size}`).toEqual(expected.records.map((r) => r.map((f) => f.trim())));
        // the source can be read again, and the pieces were not changed by the decimal commas
        expect(csvRecords(upload.source, 'up', 'up').records).toEqual(got.records);
        expect(upload.text()).toBe(normalizeCsv(text));
      }
    });
  }

  it('turns only whole numbers with a decimal comma into decimal points', () => {
    const upload = csvUploadFromChunks([Buffer.from('a;b;c;d;e\n 3,5 ;3,5x;,5;1,2,3;"-0,75"\n')]);
    expect(csvRecords(upload.source, 'up', 'up').records[0]).toEqual([' 3.5 ', '3,5x', ',5', '1,2,3', '-0.75']);
  });

  it('names the line of a bad record as the text reader does', () => {
    const upload = csvUploadFromChunks(pieces('a;b\n1;2\n3;"open\n', 3));
    expect(() => csvRecords(upload.source, 'up', 'up')).toThrow('up line 3: a quoted field is never closed.');
  });
});

describe('readCsvUpload', () => {
  const limit = { bytes: 1000, tooLarge: 'The import is larger than the limit of 1000 bytes.' };

  it('keeps the pieces of a body under the limit, never a string', async () => {
    const body = ['unit,value\n', 'a,1\n', 'b,2\n'];
    const upload = await readCsvUpload(request(body), limit);
    expect(upload.bytes).toBe(body.join('').length);
    expect(upload.chunks.every((c) => c instanceof Uint8Array)).toBe(true);
    expect(csvRecords(upload.source, 'up', 'up').records).toEqual([['a', '1'], ['b', '2']]);
  });

  it('answers 413 with one sentence as soon as the body passes the limit, keeping none of it', async () => {
    const req = request(Array.from({ length: 50 }, () => 'x'.repeat(99) + '\n'));
    const err = await readCsvUpload(req, limit).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).status).toBe(413);
    expect((err as HttpError).message).toBe(limit.tooLarge);
  });

  it('refuses a declared Content-Length over the limit before reading the body', async () => {
    const req = request(['a,b\n', '1,2\n'], { 'content-length': '5000' });
    const err = await readCsvUpload(req, limit).then(() => null, (e: unknown) => e);
    expect((err as HttpError).status).toBe(413);
    expect((err as HttpError).message).toBe(limit.tooLarge);
  });

  it('refuses a compressed body and another charset than UTF-8 (415)', async () => {
    const gzip = await readCsvUpload(request(['a\n'], { 'content-encoding': 'gzip' }), limit).then(() => null, (e: unknown) => e);
    expect((gzip as HttpError).status).toBe(415);
    const latin = await readCsvUpload(request(['a\n'], { 'content-type': 'text/csv; charset=latin1' }), limit).then(() => null, (e: unknown) => e);
    expect((latin as HttpError).status).toBe(415);
    expect((latin as HttpError).message).toBe("The request body's encoding is not supported; send UTF-8.");
  });
});
