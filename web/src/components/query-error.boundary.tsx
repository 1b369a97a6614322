'use client';

import { catchError, type ErrorInfo } from 'next/error';
import { describeApiError } from '@/lib/apollo/graphql-errors';

/**
 * Plain elements in the look of a red light Alert (global.css, as PageError): every page with a query
 * carries this boundary at first load, and Mantine's Alert (with its close button) would come with it
 * only to be shown when something failed.
 */
function QueryErrorFallback({ title }: { title: string }, { error, retry }: ErrorInfo) {
  const view = describeApiError(error);
  return (
    <div className="page-error" role="alert">
      <p className="page-error-title">{title}</p>
      <p className="page-error-text">{view.message ?? Object.values(view.fields).join(' ')}</p>
      <button type="button" className="page-error-retry mantine-focus-auto" onClick={() => retry()}>
        Try again
      </button>
    </div>
  );
}

/**
 * Error boundary for one query's part of a page: shows what went wrong in the API's words and retries
 * by re-rendering the server components around it (which re-runs their PreloadQuery).
 */
export const QueryErrorBoundary = catchError(QueryErrorFallback);
