import type { NextConfig } from 'next';

// Where the web server reaches the API. Rewrites are compiled into the build (routes-manifest.json),
// so API_URL must be set when running `next build`, not only at `next start`; the server-side Apollo
// clients read it again at run time (see src/lib/config.ts).
const apiUrl = (process.env.API_URL ?? 'http://127.0.0.1:4000').replace(/\/+$/, '');

const nextConfig: NextConfig = {
  // No `output` override: the default build is what `next start` serves. ('standalone' runs its own
  // server.js instead of `next start`; 'export' has no server at all, so nothing could rewrite /graphql.)
  reactStrictMode: true,
  // bench/web.mjs builds into its own folder (with its own API_URL), leaving the build `npm start` serves.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  poweredByHeader: false,
  turbopack: {
    rules: {
      // graphql(`...`) in the colocated documents files becomes an import of the generated document,
      // so a page carries the operations it uses, not src/gql/gql.ts's map of all of them.
      '*.documents.ts': { loaders: ['./gql-documents.loader.cjs'], as: '*.ts' },
    },
  },
  // Cheap hardening for every response. (A Content-Security-Policy needs per-request nonces for Next's
  // inline scripts; it comes with the console pages, which also need ws: sources.)
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'X-Frame-Options', value: 'DENY' },
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Referrer-Policy', value: 'same-origin' },
          { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=()' },
        ],
      },
    ];
  },
  // The browser talks to one origin: its GraphQL requests go to /graphql on the web server, which
  // proxies them to the API, so the httpOnly session cookie is first-party and CORS never applies.
  async rewrites() {
    // /auth/* too: session renewal and OpenID Connect sign-in, whose cookies belong to this origin.
    return [
      { source: '/graphql', destination: `${apiUrl}/graphql` },
      { source: '/auth/:path*', destination: `${apiUrl}/auth/:path*` },
      // The usage report as CSV: a download link on /reports, with the session cookie.
      { source: '/reports/usage.csv', destination: `${apiUrl}/reports/usage.csv` },
    ];
  },
};

export default nextConfig;
