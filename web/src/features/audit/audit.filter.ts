import type { AuditLogFilter } from '@/gql/graphql';

export interface AuditFilterForm {
  organizationId: string;
  action: string;
  actorId: string;
  /** datetime-local values (UTC, as the page says). */
  from: string;
  to: string;
}

export const EMPTY_AUDIT_FILTER: AuditFilterForm = { organizationId: '', action: '', actorId: '', from: '', to: '' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The API filter for a form, or per-field messages saying what to fix. */
export function auditFilterOf(
  form: AuditFilterForm,
): { filter: AuditLogFilter; errors: null } | { filter: null; errors: Partial<Record<keyof AuditFilterForm, string>> } {
  const errors: Partial<Record<keyof AuditFilterForm, string>> = {};
  const filter: AuditLogFilter = {};
  if (form.organizationId) filter.organizationId = form.organizationId;
  if (form.action.trim()) filter.action = form.action.trim();
  if (form.actorId.trim()) {
    if (UUID.test(form.actorId.trim())) filter.actorId = form.actorId.trim();
    else errors.actorId = 'An actor id is a UUID (copy it from a row or the users list).';
  }
  const at = (value: string, key: 'from' | 'to') => {
    if (!value) return;
    const date = new Date(`${value}Z`);
    if (Number.isNaN(date.getTime())) errors[key] = 'Pick a date and time from the calendar.';
    else filter[key] = date.toISOString();
  };
  at(form.from, 'from');
  at(form.to, 'to');
  if (filter.from && filter.to && filter.from >= filter.to) errors.to = '"To" must be after "From".';
  return Object.keys(errors).length ? { filter: null, errors } : { filter, errors: null };
}
