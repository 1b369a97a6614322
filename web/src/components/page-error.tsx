'use client';

/**
 * What error.tsx files render. Errors thrown while rendering on the server (the API unreachable, for
 * instance) arrive with their message masked by Next; the digest matches the web server's log line.
 *
 * Plain elements styled with Mantine's CSS variables (global.css), not Mantine components: every
 * route's first load carries its error boundaries, and Mantine's would come in a chunk of their own.
 */
export function PageError({ error, retry }: { error: unknown; retry: () => void }) {
  const digest = error instanceof Error && 'digest' in error ? String(error.digest) : null;
  return (
    <div className="page-error" role="alert">
      <p className="page-error-title">This page could not be loaded</p>
      <p className="page-error-text">
        The platform API did not answer as expected. It may be restarting; try again in a moment.
      </p>
      {digest && <p className="page-error-reference">Reference: {digest}</p>}
      <button type="button" className="page-error-retry mantine-focus-auto" onClick={() => retry()}>
        Try again
      </button>
    </div>
  );
}
