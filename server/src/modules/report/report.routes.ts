// GET /reports/usage.csv?organizationId=…|projectId=…&from=…&to=… — the usage report as CSV, for
// the same callers as the usageReport query (Bearer token or the browser's session cookie; a read,
// so the cookie needs no CSRF token).
import cookieParser from 'cookie-parser';
import { Router } from 'express';
import type { MikroORM } from '@mikro-orm/postgresql';
import { authenticate } from '../../auth/authenticate.js';
import { SESSION_COOKIE } from '../../auth/session.js';
import { DomainError } from '../../errors/domain-error.js';
import type { Logger } from '../../logger.js';
import type { Services } from '../../services.js';
import { buildUsageReport, usageCsv } from './report.build.js';

const STATUS: Record<string, number> = { BAD_USER_INPUT: 400, UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404 };

export function reportRoutes(deps: { orm: MikroORM; services: Services; log: Logger }): Router {
  const router = Router();
  router.get('/usage.csv', cookieParser(), async (req, res) => {
    const em = deps.orm.em.fork();
    const auth = req.headers.authorization;
    const viewer = await authenticate(em, deps.services.sessionKeys, {
      bearer: auth?.startsWith('Bearer ') ? auth.slice(7).trim() : null,
      cookie: (req.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE] ?? null,
    });
    if (!viewer) return void res.status(401).json({ error: { code: 'UNAUTHENTICATED' } });
    const q = (k: string) => (typeof req.query[k] === 'string' ? req.query[k] : undefined);
    try {
      const report = await buildUsageReport(em, viewer, {
        organizationId: q('organizationId') ?? null,
        projectId: q('projectId') ?? null,
        from: new Date(q('from') ?? ''),
        to: new Date(q('to') ?? ''),
      });
      const name = `usage-${report.projectId ?? report.organizationId}-${report.from.toISOString().slice(0, 10)}.csv`;
      res
        .status(200)
        .set('Content-Type', 'text/csv; charset=utf-8')
        .set('Content-Disposition', `attachment; filename="${name}"`)
        .set('Cache-Control', 'no-store')
        .send(usageCsv(report));
    } catch (err) {
      if (err instanceof DomainError && STATUS[err.code])
        return void res.status(STATUS[err.code]!).json({ error: { code: err.code, message: err.message } });
      deps.log.error({ err }, 'usage report failed');
      res.status(500).json({ error: { code: 'INTERNAL_SERVER_ERROR' } });
    }
  });
  return router;
}
