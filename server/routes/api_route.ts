import type { Request, Response } from 'express';
import type { z } from 'zod';
import type { Services } from '../services.js';

/** A non-JSON answer (CSV downloads) or a JSON answer with a status other than the route's default. */
export class Reply {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly contentType?: string,
    readonly filename?: string,
  ) {}
}

export interface RouteContext<B> {
  readonly s: Services;
  readonly body: B;
  readonly params: Record<string, string>;
  /** The admin making the call (admin routes only). */
  readonly actor: string;
  readonly req: Request;
  readonly res: Response;
}

/**
 * One API call: what it does, who may make it, the zod schema of its body, and the schema and
 * status of its answer. The app mounts the routes and the OpenAPI document describes them from
 * this same table.
 */
export interface ApiRoute<B extends z.ZodType = z.ZodType> {
  readonly method: 'get' | 'post' | 'patch' | 'delete';
  /** Express-style path under /api/v1 (`/waves/:id`). */
  readonly path: string;
  readonly summary: string;
  readonly tag: string;
  readonly admin: boolean;
  readonly body?: B;
  /** The query string's schema, when the call takes one (the OpenAPI document lists its parameters). */
  readonly query?: z.ZodType;
  /** Request content type when it is not JSON (e.g. text/csv). */
  readonly bodyType?: string;
  readonly status: number;
  readonly response?: z.ZodType;
  /** Content type of the answer when it is not JSON. */
  readonly responseType?: string;
  readonly errors: readonly number[];
  readonly run: (ctx: RouteContext<z.output<B>>) => Promise<unknown>;
}

export function route<B extends z.ZodType>(r: ApiRoute<B>): ApiRoute {
  return r as unknown as ApiRoute;
}
