'use client';

import { PageError } from '@/components/page-error';

// Errors outside a page's own segment, e.g. the signed-in layout failing to ask the API who is signed in.
export default function RootError(props: { error: unknown; retry: () => void }) {
  return (
    <main className="page-centered">
      <div className="page-centered-narrow">
        <PageError {...props} />
      </div>
    </main>
  );
}
