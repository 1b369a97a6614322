import { redirect } from 'next/navigation';
import { getClient } from '@/lib/apollo/apollo.rsc';
import { type Viewer, ViewerQuery } from './auth.documents';

/**
 * The signed-in user of this request, or null. Asked once per request: every caller shares the
 * request's Apollo cache. Throws when the API cannot answer, so the route's error boundary shows it.
 */
export async function getViewer(): Promise<Viewer | null> {
  const client = await getClient();
  const { data } = await client.query({ query: ViewerQuery });
  return data?.viewer ?? null;
}

/** The signed-in user, or a redirect to the sign-in page. */
export async function requireViewer(): Promise<Viewer> {
  const viewer = await getViewer();
  if (!viewer) redirect('/sign-in');
  return viewer;
}
