'use client';

import { PageError } from '@/components/page-error';

// A page of the signed-in area failed; the shell around it stays.
export default function PlatformError(props: { error: unknown; retry: () => void }) {
  return <PageError {...props} />;
}
