import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { emit } from '../output.js';
import { EXIT_INPUT, ExitError } from '../program.js';

interface VerifyFlags {
  publicKey?: string;
  json?: boolean;
}

/** The public key a verifier trusts: base64 DER given as is, or a PEM file's body. */
function trustedKey(text: string): string {
  const pem = text.match(/-----BEGIN PUBLIC KEY-----([\s\S]*?)-----END PUBLIC KEY-----/);
  return (pem ? pem[1] : text).replace(/\s+/g, '');
}

/**
 * `seici verify RECEIPT.json [--public-key KEY]`: checks a pre-registration receipt without the
 * server: every entry's place in the chain, its content hash, its SHA-256 over canonical JSON
 * and its Ed25519 signature. Exit 0 when it verifies; exit 2 naming the first broken entry.
 */
export function register(program: Command): void {
  program
    .command('verify')
    .description('Verify a pre-registration receipt (chain, hashes and signatures) without the server')
    .argument('<receipt>', 'the receipt JSON (GET /api/v1/commitments/:seq/receipt)')
    .option('--public-key <key>', 'the public key you trust: base64 DER, or a PEM file')
    .option('--json', 'print one JSON object')
    .action(async (path: string, flags: VerifyFlags) => {
      const { verifyReceipt } = await import('../../server/prereg/commitment_chain.js');
      let receipt: unknown;
      try {
        receipt = JSON.parse(readFileSync(path, 'utf8'));
      } catch (err) {
        const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : 'is not a JSON file';
        throw new ExitError(EXIT_INPUT, `receipt ${path} ${why}.`);
      }
      let key: string | undefined;
      if (flags.publicKey !== undefined) {
        let text = flags.publicKey;
        try {
          text = readFileSync(flags.publicKey, 'utf8');
        } catch {
          // Not a file: the key itself.
        }
        key = trustedKey(text);
      }
      const check = verifyReceipt(receipt, key);
      if (!check.valid) {
        throw new ExitError(EXIT_INPUT, `receipt ${path} does not verify${check.seq !== null ? `: entry ${check.seq} is broken, ${check.reason}` : `: ${check.reason}`}`);
      }
      const r = receipt as { commitment: number; publicKey: string };
      emit({ valid: true, commitment: r.commitment, entries: check.entries, publicKey: r.publicKey }, Boolean(flags.json), (x) =>
        `receipt verifies: commitment ${x.commitment}, ${x.entries} chained entries, every hash and Ed25519 signature checked against ${key ? 'the key you trust' : 'the key in the receipt'}.`,
      );
    });
}
