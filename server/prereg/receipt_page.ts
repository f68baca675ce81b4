import type { ChainCheck, Receipt } from './commitment_chain.js';

const escape = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * A receipt as a printable page: the commitment it is for in full, every earlier entry by its
 * hashes, the public key, and how to verify the JSON receipt without the server. The page is
 * for reading and filing; the JSON receipt is what a verifier checks.
 */
export function receiptPage(receipt: Receipt, check: ChainCheck): string {
  const last = receipt.entries[receipt.entries.length - 1];
  const rows = receipt.entries
    .map((e) => `<tr><td>${e.seq}</td><td>${escape(e.kind)}</td><td>${e.waveId}</td><td>${escape(e.title)}</td><td>${escape(e.committedAt)}</td><td class="h">${e.hash}</td></tr>`)
    .join('\n');
  const status = check.valid
    ? `The chain of ${check.entries} entries verifies: every hash and every signature checked when this page was made.`
    : `The chain does NOT verify${check.seq !== null ? ` at entry ${check.seq}` : ''}: ${escape(check.reason)}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>seici commitment ${last.seq}: ${escape(last.title)}</title>
<style>body{font:14px/1.45 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #bbb;padding:.25rem .4rem;text-align:left;vertical-align:top}
.h,pre,code{font-family:ui-monospace,monospace;font-size:12px;word-break:break-all;white-space:pre-wrap}
.status{padding:.5rem;border:2px solid ${check.valid ? '#2a7' : '#c22'}}@media print{a{color:inherit}}</style></head>
<body>
<h1>Pre-registration receipt: commitment ${last.seq}</h1>
<p class="status">${status}</p>
<h2>${escape(last.title)}</h2>
<table>
<tr><th>Kind</th><td>${escape(last.kind)}</td></tr>
<tr><th>Wave</th><td>${last.waveId}</td></tr>
<tr><th>Committed at</th><td>${escape(last.committedAt)}</td></tr>
<tr><th>Content SHA-256</th><td class="h">${last.contentHash}</td></tr>
<tr><th>Entry SHA-256</th><td class="h">${last.hash}</td></tr>
<tr><th>Previous entry</th><td class="h">${last.prevHash}</td></tr>
<tr><th>Ed25519 signature</th><td class="h">${escape(last.signature)}</td></tr>
<tr><th>Public key (base64 DER)</th><td class="h">${escape(receipt.publicKey)}</td></tr>
</table>
<h3>Committed content</h3>
<pre>${escape(JSON.stringify(last.content, null, 2))}</pre>
<h2>The chain up to this commitment</h2>
<table><tr><th>#</th><th>Kind</th><th>Wave</th><th>Title</th><th>Committed at</th><th>SHA-256</th></tr>
${rows}
</table>
<h2>How to verify</h2>
<p>Ask for the JSON receipt (<code>GET /api/v1/commitments/${last.seq}/receipt</code>) and run
<code>seici verify receipt-${last.seq}.json</code>, or, without seici, <code>node verify-receipt.mjs receipt-${last.seq}.json</code>
(the 20-line script in seici's README). Each entry's SHA-256 is taken over its canonical JSON
(sorted keys, no whitespace, NFC strings) without <code>hash</code> and <code>signature</code>; each entry names the hash of the
one before it; the signature is Ed25519 over the same canonical JSON. Compare the public key with the one the
organisation published.</p>
</body></html>
`;
}
