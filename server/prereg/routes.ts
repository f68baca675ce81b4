import { z } from 'zod';
import { HttpError } from '../errors.js';
import { Reply, route, type ApiRoute } from '../routes/api_route.js';
import { validate } from '../validation.js';
import * as commitments from './handlers.js';
import * as S from './schemas.js';

const seq = (params: Record<string, string>) => validate(S.SeqParam, params.seq, 'seq');

/**
 * Verifiable pre-registration (issue 18): commitments of breakpoint rules, measurement models,
 * hypotheses and analysis plans, chained and signed, with receipts anyone can check offline.
 * Listed in server/routes/api.ts with every other call.
 */
export const commitmentRoutes: readonly ApiRoute[] = [
  route({
    method: 'get', path: '/commitments/public-key', tag: 'commitments', admin: false, status: 200, errors: [404],
    summary: 'The Ed25519 public key that signs this server\'s commitments (base64 DER and PEM), for verifiers; 404 when the server holds no signing key.',
    response: z.object({ publicKey: z.string(), pem: z.string() }),
    run: async ({ s }) => {
      const key = commitments.serverPublicKey(s);
      if (!key) throw new HttpError(404, 'This server holds no signing key (SEICI_SIGNING_KEY), so it has no public key.');
      const body = key.match(/.{1,64}/g)!.join('\n');
      return { publicKey: key, pem: `-----BEGIN PUBLIC KEY-----\n${body}\n-----END PUBLIC KEY-----\n` };
    },
  }),
  route({
    method: 'post', path: '/commitments', tag: 'commitments', admin: true, status: 201, errors: [400, 401, 404, 409, 503],
    summary: 'Commits breakpoint rules, a measurement model (lavaan syntax), a hypothesis with its test and threshold, or an analysis plan for a wave before its first answer (409 after): one SHA-256-chained, Ed25519-signed entry.',
    body: S.CommitmentCreate, response: S.Commitment,
    run: ({ s, actor, body }) => commitments.createCommitment(s, actor, body),
  }),
  route({
    method: 'get', path: '/commitments', tag: 'commitments', admin: true, status: 200, errors: [400, 401],
    summary: 'Every commitment in chain order (?wave=ID for one wave\'s), with the server\'s public key and whether the whole chain verifies.',
    response: S.CommitmentList,
    run: ({ s, req }) => commitments.listCommitments(s, validate(S.WaveFilter, req.query.wave, 'wave')),
  }),
  route({
    method: 'get', path: '/commitments/:seq', tag: 'commitments', admin: true, status: 200, errors: [400, 401, 404],
    summary: 'One commitment and whether the chain up to it verifies.',
    response: S.CommitmentView,
    run: ({ s, params }) => commitments.getCommitment(s, seq(params)),
  }),
  route({
    method: 'get', path: '/commitments/:seq/receipt', tag: 'commitments', admin: true, status: 200, errors: [400, 401, 404],
    summary: 'The receipt of a commitment as JSON: the chain up to it and the public key; `seici verify` and scripts/verify-receipt.mjs check it offline.',
    responseType: 'application/json',
    run: async ({ s, params }) => {
      const receipt = await commitments.commitmentReceipt(s, seq(params));
      return new Reply(200, JSON.stringify(receipt, null, 2) + '\n', 'application/json; charset=utf-8', `receipt-${receipt.commitment}.json`);
    },
  }),
  route({
    method: 'get', path: '/commitments/:seq/receipt.html', tag: 'commitments', admin: true, status: 200, errors: [400, 401, 404],
    summary: 'The receipt of a commitment as a printable HTML page.',
    responseType: 'text/html',
    run: async ({ s, params }) => new Reply(200, await commitments.commitmentReceiptPage(s, seq(params)), 'text/html; charset=utf-8'),
  }),
];
