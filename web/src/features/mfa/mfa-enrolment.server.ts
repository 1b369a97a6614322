import { redirect } from 'next/navigation';
import { MfaStatusQuery } from '@/features/profile/profile.documents';
import { getClient } from '@/lib/apollo/apollo.rsc';
import { MFA_ENROLMENT_PATH } from './mfa.paths';

/**
 * Sends a session that an organization's policy restricts to enrolment to the enrolment screen: the
 * API would refuse every other page's data. Asked once per full page load (layouts do not re-render
 * on client navigation); a failed check lets the page show its own error.
 */
export async function redirectIfEnrolmentRequired(): Promise<void> {
  const status = await (
    await getClient()
  )
    .query({ query: MfaStatusQuery })
    .then(({ data }) => data?.mfaStatus)
    .catch(() => null);
  if (status?.enrolmentRequired && !status.totpEnabled) redirect(MFA_ENROLMENT_PATH);
}
