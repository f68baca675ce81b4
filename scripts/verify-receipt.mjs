// Verifies a seici pre-registration receipt with node:crypto only: node verify-receipt.mjs RECEIPT.json [PUBLIC_KEY_BASE64]
import { createHash, createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
const canon = (v) => v === null || typeof v !== 'object' ? JSON.stringify(typeof v === 'string' ? v.normalize('NFC') : v)
  : Array.isArray(v) ? `[${v.map(canon).join(',')}]`
  : `{${Object.keys(v).map((k) => [k.normalize('NFC'), v[k]]).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, x]) => `${JSON.stringify(k)}:${canon(x)}`).join(',')}}`;
const sha = (t) => createHash('sha256').update(t, 'utf8').digest('hex');
const [file, trusted] = process.argv.slice(2);
const r = JSON.parse(readFileSync(file, 'utf8'));
const key = createPublicKey({ key: Buffer.from(trusted ?? r.publicKey, 'base64'), format: 'der', type: 'spki' });
let prev = '0'.repeat(64);
const fail = (e, why) => { console.error(`entry ${e.seq} is broken: ${why}`); process.exit(2); };
if (trusted && trusted !== r.publicKey) fail({ seq: '(key)' }, 'the receipt is signed with another key');
r.entries.forEach((e, i) => {
  const { hash, signature, ...body } = e;
  if (e.seq !== i + 1 || e.prevHash !== prev) fail(e, 'out of place in the chain');
  if (sha(canon(e.content)) !== e.contentHash || sha(canon(body)) !== hash || e.publicKey !== r.publicKey) fail(e, 'hash mismatch');
  if (!verify(null, Buffer.from(canon(body), 'utf8'), key, Buffer.from(signature, 'base64'))) fail(e, 'bad signature');
  prev = hash;
});
if (r.entries.at(-1).seq !== r.commitment) fail(r.entries.at(-1), 'not the commitment the receipt is for');
console.log(`receipt verifies: commitment ${r.commitment}, ${r.entries.length} entries`);
