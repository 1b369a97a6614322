// Route registration: handlers keyed by method and schema path template. A handler returns the
// `data` of the reply (or throws a PveHttpError).
import type { Identity } from './auth.js';
import { PveError } from './errors.js';
import type { HttpMethod } from './schema.js';
import type { Sim } from './sim.js';
import type { RawParams } from './validate.js';

export class Params {
  constructor(readonly raw: RawParams) {}

  has(name: string): boolean {
    return this.raw[name] !== undefined;
  }

  str(name: string): string | undefined {
    const v = this.raw[name];
    return Array.isArray(v) ? v[0] : v;
  }

  req(name: string): string {
    const v = this.str(name);
    if (v === undefined) throw PveError.param(name, 'property is missing and it is not optional');
    return v;
  }

  int(name: string): number | undefined {
    const v = this.str(name);
    return v === undefined ? undefined : Number(v);
  }

  bool(name: string, dflt = false): boolean {
    const v = this.str(name);
    return v === undefined ? dflt : v === '1';
  }

  list(name: string): string[] {
    const v = this.raw[name];
    return v === undefined ? [] : Array.isArray(v) ? v : [v];
  }

  get node(): string {
    return this.req('node');
  }

  get vmid(): number {
    return Number(this.req('vmid'));
  }

  /** All parameters except path variables and control keys. */
  rest(exclude: string[]): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(this.raw))
      if (!exclude.includes(k)) out[k] = Array.isArray(v) ? v.join(',') : v;
    return out;
  }
}

export interface ApiRequest {
  sim: Sim;
  method: HttpMethod;
  template: string;
  path: string;
  params: Params;
  identity: Identity;
}

export interface ApiResult {
  data: unknown;
  total?: number;
}

export type Handler = (req: ApiRequest) => unknown;

export class Router {
  private readonly handlers = new Map<string, Handler>();
  /** Handlers whose reply includes `total` (paged lists). */
  private readonly paged = new Set<string>();

  on(method: HttpMethod, template: string, handler: Handler, opts: { paged?: boolean } = {}): this {
    this.handlers.set(`${method} ${template}`, handler);
    if (opts.paged) this.paged.add(`${method} ${template}`);
    return this;
  }

  get(method: HttpMethod, template: string): Handler | undefined {
    return this.handlers.get(`${method} ${template}`);
  }

  isPaged(method: HttpMethod, template: string): boolean {
    return this.paged.has(`${method} ${template}`);
  }

  /** Every registered `METHOD template`, for the schema walk test. */
  routes(): { method: HttpMethod; template: string }[] {
    return [...this.handlers.keys()].map((k) => {
      const [method, template] = k.split(' ') as [HttpMethod, string];
      return { method, template };
    });
  }
}

/** A paged reply: `{data, total}`. */
export class Paged {
  constructor(
    readonly data: unknown[],
    readonly total: number,
  ) {}
}

/** A reply whose `data` is already serialised JSON. */
export class RawJson {
  constructor(readonly json: string) {}
}
