// The usage report's periods: calendar months in UTC (what invoices use) or a custom range of days.

export type PeriodKey = 'this-month' | 'last-month' | 'last-30-days' | 'custom';

export const PERIODS: readonly { value: PeriodKey; label: string }[] = [
  { value: 'this-month', label: 'This month' },
  { value: 'last-month', label: 'Last month' },
  { value: 'last-30-days', label: 'Last 30 days' },
  { value: 'custom', label: 'Custom' },
];

export type Period = { from: string; to: string; problem: null } | { from: null; to: null; problem: string };

/** [from, to) of a period at `now`; a custom one from two yyyy-mm-dd days, both included. */
export function periodOf(key: PeriodKey, now: number, custom: { from: string; to: string }): Period {
  const d = new Date(now);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  switch (key) {
    case 'this-month':
      return { from: new Date(Date.UTC(y, m, 1)).toISOString(), to: new Date(now).toISOString(), problem: null };
    case 'last-month':
      return {
        from: new Date(Date.UTC(y, m - 1, 1)).toISOString(),
        to: new Date(Date.UTC(y, m, 1)).toISOString(),
        problem: null,
      };
    case 'last-30-days':
      return { from: new Date(now - 30 * 86_400_000).toISOString(), to: new Date(now).toISOString(), problem: null };
    case 'custom': {
      const from = Date.parse(`${custom.from}T00:00:00Z`);
      const to = Date.parse(`${custom.to}T00:00:00Z`);
      if (Number.isNaN(from) || Number.isNaN(to))
        return { from: null, to: null, problem: 'Choose the first and the last day.' };
      if (to < from) return { from: null, to: null, problem: 'The last day must not be before the first.' };
      return { from: new Date(from).toISOString(), to: new Date(to + 86_400_000).toISOString(), problem: null };
    }
  }
}

/** The CSV route of the same report (the browser sends the session cookie along). */
export function csvHref(params: {
  organizationId?: string | null;
  projectId?: string | null;
  from: string;
  to: string;
}): string {
  const q = new URLSearchParams();
  if (params.projectId) q.set('projectId', params.projectId);
  else if (params.organizationId) q.set('organizationId', params.organizationId);
  q.set('from', params.from);
  q.set('to', params.to);
  return `/reports/usage.csv?${q.toString()}`;
}
