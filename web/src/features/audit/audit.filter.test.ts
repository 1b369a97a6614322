import { describe, expect, it } from 'vitest';
import { auditFilterOf, EMPTY_AUDIT_FILTER } from './audit.filter';

describe('audit filter form', () => {
  it('sends only what was filled, times as UTC', () => {
    expect(auditFilterOf(EMPTY_AUDIT_FILTER)).toEqual({ filter: {}, errors: null });
    expect(
      auditFilterOf({
        ...EMPTY_AUDIT_FILTER,
        action: ' auth.signIn ',
        from: '2026-11-26T10:00',
        to: '2026-11-26T11:00',
      }),
    ).toEqual({
      filter: { action: 'auth.signIn', from: '2026-11-26T10:00:00.000Z', to: '2026-11-26T11:00:00.000Z' },
      errors: null,
    });
  });
  it('names what is wrong', () => {
    expect(auditFilterOf({ ...EMPTY_AUDIT_FILTER, actorId: 'ada' }).errors).toEqual({
      actorId: 'An actor id is a UUID (copy it from a row or the users list).',
    });
    expect(auditFilterOf({ ...EMPTY_AUDIT_FILTER, from: '2026-11-26T11:00', to: '2026-11-26T10:00' }).errors).toEqual({
      to: '"To" must be after "From".',
    });
  });
});
