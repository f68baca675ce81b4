import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, resolve, sep } from 'node:path';
import { brotliCompress, constants as zlib, gzipSync } from 'node:zlib';
import type { Request, RequestHandler, Response } from 'express';

/** Where fingerprinted assets are served: `/static/<fingerprint>/<mount>/<file>`. */
export const STATIC_PREFIX = '/static';

const TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json; charset=utf-8',
};

/** A year, the longest lifetime caches honour; the fingerprint changes with the content. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

interface Asset {
  readonly fingerprint: string;
  readonly type: string;
  readonly identity: Buffer;
  gzip?: Buffer;
  brotli?: Buffer;
  brotliStarted?: boolean;
}

/**
 * Static files (SurveyJS's and seici's own) under content-fingerprinted URLs, so that they can
 * be cached for a year (`immutable`) and a new version is a new URL. Each file is read, hashed
 * (SHA-256, first 16 hex digits) and gzipped (level 9) once, on first use; a Brotli copy
 * (quality 11, about a quarter smaller for SurveyJS) is made off the event loop the first
 * time a client accepts it, and served from then on. Only the mounted directories are served,
 * only files with a known type, never a path that climbs out of its mount.
 */
export class StaticAssets {
  private readonly assets = new Map<string, Asset>();

  constructor(private readonly mounts: Readonly<Record<string, string>>) {}

  /** The fingerprinted URL of `<mount>/<file>` (`survey-core/survey.core.min.js`); throws for a file that is not there (a template's mistake). */
  url(path: string): string {
    const asset = this.load(path);
    if (!asset) throw new Error(`no static asset ${path}`);
    return `${STATIC_PREFIX}/${asset.fingerprint}/${path}`;
  }

  /** The handler of `GET /static/:fingerprint/*path`. A stale fingerprint gets the current file, not cached. */
  handler(): RequestHandler {
    return (req: Request, res: Response, next) => {
      const segments = (req.params as { path?: string[] | string }).path;
      const path = Array.isArray(segments) ? segments.join('/') : (segments ?? '');
      const asset = this.load(path);
      if (!asset) return next();
      const fresh = req.params.fingerprint === asset.fingerprint;
      const accepted = String(req.get('accept-encoding') ?? '');
      let body = asset.identity;
      let encoding: string | undefined;
      if (/\bbr\b/.test(accepted)) this.startBrotli(asset);
      if (asset.brotli && /\bbr\b/.test(accepted)) {
        body = asset.brotli;
        encoding = 'br';
      } else if (/\bgzip\b/.test(accepted)) {
        asset.gzip ??= gzipSync(asset.identity, { level: 9 });
        body = asset.gzip;
        encoding = 'gzip';
      }
      res.set('Cache-Control', fresh ? IMMUTABLE : 'no-cache');
      res.set('Vary', 'Accept-Encoding');
      res.set('Content-Type', asset.type);
      res.set('ETag', `"${asset.fingerprint}${encoding ? `-${encoding}` : ''}"`);
      if (encoding) res.set('Content-Encoding', encoding);
      if (req.get('if-none-match') === res.get('ETag')) {
        res.status(304).end();
        return;
      }
      res.set('Content-Length', String(body.length));
      res.status(200).end(req.method === 'HEAD' ? undefined : body);
    };
  }

  private load(path: string): Asset | undefined {
    const known = this.assets.get(path);
    if (known) return known;
    const slash = path.indexOf('/');
    if (slash <= 0) return undefined;
    const root = this.mounts[path.slice(0, slash)];
    const rest = path.slice(slash + 1);
    const type = TYPES[extname(rest)];
    if (!root || !type || rest.split('/').some((part) => part === '' || part.startsWith('.'))) return undefined;
    const file = resolve(root, rest);
    if (!file.startsWith(resolve(root) + sep) || !existsSync(file) || !statSync(file).isFile()) return undefined;
    const identity = readFileSync(file);
    const asset: Asset = { fingerprint: createHash('sha256').update(identity).digest('hex').slice(0, 16), type, identity };
    this.assets.set(path, asset);
    return asset;
  }

  private startBrotli(asset: Asset): void {
    if (asset.brotliStarted) return;
    asset.brotliStarted = true;
    brotliCompress(asset.identity, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: asset.identity.length } }, (err, out) => {
      if (!err) asset.brotli = out;
    });
  }
}

