import type { EntityManager } from '@mikro-orm/postgresql';
import type { Request, Response } from 'express';
import type { Logger } from '../logger.js';
import { Errors } from '../errors/domain-error.js';
import type { Viewer } from '../auth/viewer.js';
import type { Services } from '../services.js';
import { Loaders } from './loaders.js';

/** Everything a resolver gets: a forked EntityManager for this operation only, the caller, loaders. */
export interface Context {
  em: EntityManager;
  viewer: Viewer | null;
  loaders: Loaders;
  services: Services;
  log: Logger;
  /** Absent for WebSocket operations. */
  req?: Request;
  res?: Response;
}

export function makeContext(parts: Omit<Context, 'loaders'>): Context {
  return { ...parts, loaders: new Loaders(parts.em) };
}

/** The signed-in caller, or UNAUTHENTICATED. */
export function requireViewer(ctx: Context): Viewer {
  if (!ctx.viewer) throw Errors.unauthenticated();
  return ctx.viewer;
}
