import type { NextConfig } from 'next';

// Where the web server reaches the API. Rewrites are compiled into the build (routes-manifest.json),
// so API_URL must be set when running `next build`, not only at `next start`; the server-side Apollo
// clients read it again at run time (see src/lib/config.ts).
const apiUrl = (process.env.API_URL ?? 'http://127.0.0.1:4000').replace(/\/+$/, '');

const nextConfig: NextConfig = {
  // No `output` override: the default build is what `next start` serves. ('standalone' is for copying
  // the server elsewhere and 'export' has no server, so neither could rewrite /graphql.)
  reactStrictMode: true,
  poweredByHeader: false,
  // The browser talks to one origin: its GraphQL requests go to /graphql on the web server, which
  // proxies them to the API, so the httpOnly session cookie is first-party and CORS never applies.
  async rewrites() {
    return [{ source: '/graphql', destination: `${apiUrl}/graphql` }];
  },
};

export default nextConfig;
