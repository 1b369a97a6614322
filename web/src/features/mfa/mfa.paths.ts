/** Where a session that must enrol a second factor (an organization's policy) is sent after sign-in. */
export const MFA_ENROLMENT_PATH = '/security/enrol';
