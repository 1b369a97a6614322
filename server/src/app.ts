// The app factory: builds the HTTP app, the GraphQL server and their dependencies, and listens on
// nothing. main.ts (and every test) calls it and decides where to listen.
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import cookieParser from 'cookie-parser';
import express, { type Express } from 'express';
import type { GraphQLError } from 'graphql';
import { WebSocketServer } from 'ws';
import { authenticate, type Credentials } from './auth/authenticate.js';
import { ViewerCache } from './auth/viewer-cache.js';
import { livePermissionPlugin } from './auth/live-permission.js';
import type { Viewer } from './auth/viewer.js';
import { authRoutes } from './auth/auth.routes.js';
import { csrfPlugin } from './auth/csrf.js';
import { parseOidcProviders } from './auth/oidc/oidc-config.js';
import { OidcService } from './auth/oidc/oidc.service.js';
import { createRefreshTokenStore, type RefreshTokenStore } from './auth/refresh-token-store.js';
import { SessionIssuer } from './auth/session-tokens.js';
import { MfaChallengeKeys } from './auth/mfa-challenge.js';
import { SESSION_COOKIE, SessionKeys } from './auth/session.js';
import type { Config } from './config.js';
import { makeContext, type Context } from './graphql/context.js';
import { makeFormatError } from './graphql/format-error.js';
import { buildApiSchema } from './graphql/schema.js';
import { reportRoutes } from './modules/report/report.routes.js';
import { createPlatformMetrics } from './observability/prometheus.js';
import type { Logger } from './logger.js';
import { createSecurity } from './security/security.js';
import { hsts, readTlsFiles } from './security/https.js';
import type { RateLimitStore } from './security/rate-limit.js';
import type { JobQueue } from './jobs/queue.js';
import type { PubSub } from './realtime/pubsub.js';
import { serveGraphqlWs } from './realtime/graphql-ws-server.js';
import { preparedSubscribe } from './realtime/prepared-subscribe.js';
import type { SecretStore } from './secrets/secret-store.js';
import type { Services } from './services.js';
import { CONSOLE_PATH, createConsoleGateway } from './modules/console/console.gateway.js';
import { originAllowed } from './modules/console/console.origin.js';

export interface AppDeps {
  orm: MikroORM;
  log: Logger;
  secrets: SecretStore;
  pubsub: PubSub;
  jobs: JobQueue;
  /** Base64 key that signs session tokens. */
  sessionSecret: string;
  /** Rate-limit counters; default: Redis with REDIS_URL, else in-process. */
  rateLimitStore?: RateLimitStore;
  /** Refresh tokens; default: Redis with REDIS_URL, else in-process. */
  refreshTokenStore?: RefreshTokenStore;
  /**
   * BENCHMARK ONLY (bench/auth.mjs): every GraphQL operation, over HTTP and WebSocket, runs as this
   * caller, built once by the benchmark; credentials are not read at all. It is the baseline of what
   * authentication adds: the same queries doing the same resolver work without it. Only code can set
   * it (no setting or environment variable maps to it, and main.ts never does). Shared by every
   * request: fit for read-only queries only.
   */
  fixedViewerForBenchmark?: Viewer;
}

/** The largest graphql-ws message the API reads. */
export const WS_MAX_MESSAGE_BYTES = 1 << 20;

/** How long the API keeps an idle keep-alive connection open (see createApp): longer than any page's polling. */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

export interface App {
  express: Express;
  http: Server;
  /** 'https' when TLS_CERT_FILE/TLS_KEY_FILE are set. */
  scheme: 'http' | 'https';
  services: Services;
  /** Starts listening; resolves with the bound address (port 0 picks a free port). */
  listen(port: number, host?: string): Promise<AddressInfo>;
  /** Drains HTTP and GraphQL, then releases the database. */
  stop(): Promise<void>;
}

export async function createApp(config: Config, deps: AppDeps): Promise<App> {
  const { orm, log } = deps;
  const sessionKeys = new SessionKeys(deps.sessionSecret, config.SESSION_TTL_SECONDS);
  const sessions = new SessionIssuer(
    sessionKeys,
    deps.refreshTokenStore ?? createRefreshTokenStore(config.REDIS_URL, config.REFRESH_REUSE_GRACE_SECONDS * 1000),
    { accessTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS, sessionTtlSeconds: config.SESSION_TTL_SECONDS },
  );
  const oidcProviders = parseOidcProviders(config.OIDC_PROVIDERS, config.OIDC_PROVIDERS_FILE);
  const formatError = makeFormatError(log);
  // Operation limits (HTTP and WebSocket), rate limits and the audit log (security/security.ts).
  const security = createSecurity(config, log, formatError, deps.rateLimitStore);
  const services: Services = {
    config,
    sessionKeys,
    sessions,
    oidc: new OidcService(oidcProviders, deps.secrets, sessionKeys, config.PUBLIC_URL, log),
    mfaChallenges: new MfaChallengeKeys(deps.sessionSecret),
    limiter: security.limiter,
    secrets: deps.secrets,
    pubsub: deps.pubsub,
    jobs: deps.jobs,
    consoles: createConsoleGateway({
      orm,
      secrets: deps.secrets,
      sessionKeys,
      log,
      webOrigins: config.WEB_ORIGINS,
    }),
  };
  // Verified credentials, kept a couple of seconds and emptied by every mutation (auth/viewer-cache.ts).
  const viewerCache = new ViewerCache();
  const loadViewer = (em: EntityManager, creds: Credentials) => authenticate(em, services.sessionKeys, creds);
  const fixedViewer = deps.fixedViewerForBenchmark ?? null;
  if (fixedViewer) log.warn('fixedViewerForBenchmark: authentication is OFF, every request runs as one caller');
  const app = express();
  app.disable('x-powered-by');
  // Self-monitoring (GET /metrics): times every request, so it is the first middleware.
  const platformMetrics = createPlatformMetrics({ orm, log, token: config.METRICS_TOKEN });
  app.use(platformMetrics.http);
  // The web app proxies /graphql: believe one hop of X-Forwarded-For for the client's address.
  app.set('trust proxy', 1);
  // HTTPS when a certificate is configured (security/https.ts). An https.Server is an http.Server
  // for everything done with it here (listen, close, upgrade, Apollo's drain).
  const tls = readTlsFiles(config);
  if (tls) app.use(hsts(config.HSTS_MAX_AGE_SECONDS));
  const http = tls ? (createHttpsServer(tls, app) as unknown as Server) : createServer(app);
  // The web server's /graphql rewrite (Next's proxy) pools its connections to the API with no idle
  // timeout of its own, and Node's agent then ignores the `Keep-Alive: timeout` hint: a connection this
  // server drops for idleness is reused at that very moment often enough, and that request fails with
  // ECONNRESET (a 500 in the browser; e2e saw it). Node's 5 s (+1 s) fell right between a page's 5 s
  // polls; at 65 s the collision needs a minute without a request on that connection.
  http.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;

  const schema = await buildApiSchema(deps.pubsub);
  // The same edge for WebSocket operations as for HTTP: codes kept, internals masked.
  const formatErrors = (errors: readonly GraphQLError[]) => errors.map((e) => formatError(e.toJSON(), e));

  // Subscriptions: graphql-ws on the same port and path. The browser's cookie (sent with the
  // upgrade) or `connectionParams.authorization` authenticates, once per operation.
  // A message over 1 MiB closes the socket (1009), as a body over 1 MB is refused over HTTP (below):
  // ws's default would take 100 MiB per message.
  const wsServer = new WebSocketServer({ noServer: true, maxPayload: WS_MAX_MESSAGE_BYTES });
  // One dispatcher for every upgrade: graphql-ws on /graphql, browser consoles under /console/.
  http.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === '/graphql') wsServer.handleUpgrade(req, socket, head, (ws) => wsServer.emit('connection', ws, req));
    else if (path.startsWith(CONSOLE_PATH)) services.consoles.handleUpgrade(req, socket, head);
    else socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  });
  const wsCleanup = serveGraphqlWs<{ authorization?: string }>(
    {
      schema,
      // Each event's execution prepared once per subscription (realtime/prepared-subscribe.ts).
      subscribe: preparedSubscribe,
      onSubscribe: security.onSubscribe(schema),
      onConnect: platformMetrics.ws.onConnect,
      onClose: platformMetrics.ws.onClose,
      context: async (ctx) => {
        const em = orm.em.fork();
        const auth = ctx.connectionParams?.authorization;
        const bearer = typeof auth === 'string' && auth.startsWith('Bearer ') ? auth.slice(7).trim() : null;
        // A page of another origin may open the socket, but not with the browser's cookie: WebSockets
        // have no CORS, so this is their CSRF check (auth/csrf.ts). Bearer tokens still work.
        const cookies = originAllowed(ctx.extra.request, config.WEB_ORIGINS)
          ? parseCookies(ctx.extra.request.headers.cookie)
          : {};
        const viewer =
          fixedViewer ??
          (await viewerCache.authenticate(em, { bearer, cookie: cookies[SESSION_COOKIE] ?? null }, loadViewer));
        return makeContext({ em, viewer, services, log });
      },
      onError: (_ctx, _id, _payload, errors) => formatErrors(errors),
      // Only results with errors change here: results sent directly (realtime/direct-next.ts), which
      // have none, do not pass through it.
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors ? { ...result, errors: formatErrors(result.errors as GraphQLError[]) } : result,
    },
    wsServer,
    log,
  );

  const apollo = new ApolloServer<Context>({
    schema,
    formatError,
    introspection: config.GRAPHQL_INTROSPECTION ?? config.NODE_ENV !== 'production',
    includeStacktraceInErrorResponses: false,
    // Compact JSON: Apollo indents responses by default, ~40% more bytes on a chart's 288 points and
    // the largest single CPU cost of a chart query in bench/metrics' profile.
    stringifyResult: (result) => JSON.stringify(result),
    validationRules: security.guard.validationRules,
    // No "Did you mean ...?" in production: with introspection off, suggestions would leak the schema.
    hideSchemaDetailsFromClientErrors: config.NODE_ENV === 'production',
    // main.ts owns the signals and drains everything in order.
    stopOnTerminationSignals: false,
    plugins: [
      // No cache hints are used; the plugin cost ~2 ms per request in bench/graphql-read's profile.
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginDrainHttpServer({ httpServer: http }),
      ...security.plugins,
      viewerCache.plugin(),
      // Subscriptions' shared permission answers are asked again after a mutation (auth/live-permission.ts).
      livePermissionPlugin(),
      csrfPlugin(),
      platformMetrics.apollo,
      {
        serverWillStart: async () => ({
          drainServer: async () => {
            await wsCleanup.dispose();
            await services.consoles.close();
          },
        }),
      },
    ],
  });
  await apollo.start();

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/metrics', platformMetrics.route);
  app.get('/readyz', async (_req, res) => {
    try {
      await orm.em.fork().getConnection().execute('select 1');
      res.json({ status: 'ready', database: 'ok' });
    } catch (err) {
      log.warn({ err }, 'readiness check failed: database unreachable');
      res.status(503).json({ status: 'not ready', database: 'unreachable' });
    }
  });

  app.use(
    '/graphql',
    cookieParser(),
    express.json({ limit: '1mb' }),
    security.httpGuard,
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const em = orm.em.fork();
        const auth = req.headers.authorization;
        const bearer = auth?.startsWith('Bearer ') ? auth.slice(7).trim() : null;
        const viewer =
          fixedViewer ??
          (await viewerCache.authenticate(
            em,
            { bearer, cookie: (req.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE] ?? null },
            loadViewer,
          ));
        return makeContext({ em, viewer, services, log, req, res });
      },
    }),
  );
  app.use('/graphql', security.httpErrors);
  app.use('/reports', reportRoutes({ orm, services, log }));
  // Refresh and OIDC routes change sessions outside GraphQL: empty the credential cache around them too.
  app.use('/auth', (_req, res, next) => {
    viewerCache.clear();
    res.on('finish', () => viewerCache.clear());
    next();
  });
  app.use('/auth', authRoutes({ orm, services, log }));

  return {
    express: app,
    http,
    scheme: tls ? 'https' : 'http',
    services,
    listen: (port, host = config.HOST) =>
      new Promise((resolve, reject) => {
        http.once('error', reject);
        http.listen(port, host, () => resolve(http.address() as AddressInfo));
      }),
    async stop() {
      await apollo.stop();
      if (http.listening) await new Promise<void>((resolve) => http.close(() => resolve()));
      await security.close();
      await sessions.store.close();
    },
  };
}

function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of header?.split(';') ?? []) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq).trim()] = decodeURIComponent(part.slice(eq + 1).trim());
  }
  return out;
}
