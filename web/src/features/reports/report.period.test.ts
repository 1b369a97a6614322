import { expect, test } from 'vitest';
import { csvHref, periodOf } from './report.period';

const now = Date.UTC(2026, 2, 15, 10, 30);
const none = { from: '', to: '' };

test('calendar months are UTC months; this month ends now', () => {
  expect(periodOf('this-month', now, none)).toEqual({
    from: '2026-03-01T00:00:00.000Z',
    to: '2026-03-15T10:30:00.000Z',
    problem: null,
  });
  expect(periodOf('last-month', now, none)).toMatchObject({
    from: '2026-02-01T00:00:00.000Z',
    to: '2026-03-01T00:00:00.000Z',
  });
  expect(periodOf('last-month', Date.UTC(2026, 0, 5), none)).toMatchObject({ from: '2025-12-01T00:00:00.000Z' });
});

test('a custom period includes its last day and needs both days in order', () => {
  expect(periodOf('custom', now, { from: '2026-01-01', to: '2026-01-31' })).toMatchObject({
    from: '2026-01-01T00:00:00.000Z',
    to: '2026-02-01T00:00:00.000Z',
  });
  expect(periodOf('custom', now, { from: '2026-01-31', to: '2026-01-01' }).problem).toBe(
    'The last day must not be before the first.',
  );
  expect(periodOf('custom', now, none).problem).toBe('Choose the first and the last day.');
});

test('the CSV link names one owner and the period', () => {
  expect(csvHref({ organizationId: 'o1', from: 'a', to: 'b' })).toBe(
    '/reports/usage.csv?organizationId=o1&from=a&to=b',
  );
  expect(csvHref({ organizationId: 'o1', projectId: 'p1', from: 'a', to: 'b' })).toBe(
    '/reports/usage.csv?projectId=p1&from=a&to=b',
  );
});
