import { describe, expect, test } from 'vitest';
import { type RuleDraft, recipientsOf, validateChannel, validateRule } from './alert-rule.validation';

const draft = (over: Partial<RuleDraft> = {}): RuleDraft => ({
  name: 'CPU busy',
  scope: 'MACHINE',
  metric: 'CPU',
  comparator: 'GT',
  threshold: 90,
  clearThreshold: null,
  durationSeconds: 60,
  severity: 'WARNING',
  enabled: true,
  machineId: 'm1',
  projectId: null,
  clusterId: null,
  node: '',
  ...over,
});

describe('validateRule', () => {
  test('a complete rule passes', () => expect(validateRule(draft(), true)).toEqual({}));
  test('each wrong field is named', () => {
    const problems = validateRule(
      draft({ name: ' ', threshold: 120, durationSeconds: 90_000, machineId: null, metric: 'CEPH_HEALTH' }),
      true,
    );
    expect(Object.keys(problems).sort()).toEqual(['durationSeconds', 'machineId', 'metric', 'name']);
    expect(validateRule(draft({ threshold: 120 }), true)['threshold']).toBe('A percentage for this metric: 0 to 100.');
  });
  test('the clear threshold sits on the resolving side of the threshold', () => {
    expect(validateRule(draft({ clearThreshold: 80 }), true)).toEqual({});
    expect(validateRule(draft({ clearThreshold: 95 }), true)['clearThreshold']).toMatch(/at or below/);
    expect(validateRule(draft({ comparator: 'LT', clearThreshold: 80 }), true)['clearThreshold']).toMatch(
      /at or above/,
    );
    expect(validateRule(draft({ comparator: 'EQ', clearThreshold: 80 }), true)['clearThreshold']).toMatch(/only/);
  });
  test('editing does not ask for the target again', () =>
    expect(validateRule(draft({ machineId: null }), false)).toEqual({}));
});

describe('validateChannel', () => {
  const base = {
    name: 'hook',
    kind: 'WEBHOOK' as const,
    url: 'https://example.com/h',
    webhookSecret: 'x'.repeat(16),
    recipients: '',
    creating: true,
  };
  test('a webhook needs an http(s) URL and a 16+ character secret', () => {
    expect(validateChannel(base)).toEqual({});
    expect(Object.keys(validateChannel({ ...base, url: 'ftp://x', webhookSecret: 'short' })).sort()).toEqual([
      'url',
      'webhookSecret',
    ]);
    // Editing: an empty secret keeps the stored one.
    expect(validateChannel({ ...base, webhookSecret: '', creating: false })).toEqual({});
  });
  test('e-mail needs addresses', () => {
    const mail = { ...base, kind: 'EMAIL' as const };
    expect(validateChannel({ ...mail, recipients: '' })['recipients']).toBe('At least one e-mail address.');
    expect(validateChannel({ ...mail, recipients: 'a@b.example, nope' })['recipients']).toBe(
      '"nope" is not an e-mail address.',
    );
    expect(recipientsOf('a@b.example,\n c@d.example')).toEqual(['a@b.example', 'c@d.example']);
  });
});
