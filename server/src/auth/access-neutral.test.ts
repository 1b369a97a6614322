import { parse, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { mayChangeAccess } from './access-neutral.js';

const op = (source: string) => parse(source).definitions[0] as OperationDefinitionNode;

describe('mayChangeAccess', () => {
  it('is false for queries and for mutations that only act on machines, jobs and alerts', () => {
    expect(mayChangeAccess(op(`{ viewer { id } }`))).toBe(false);
    expect(mayChangeAccess(op(`mutation { provisionMachine(input: {}) { job { id } } }`))).toBe(false);
    expect(mayChangeAccess(op(`mutation { a: startMachine(input: {}) { id } b: cancelJob(id: 1) { id } }`))).toBe(
      false,
    );
  });

  it('is true for any mutation that touches users, sessions, tokens or memberships, and for unknown ones', () => {
    for (const field of [
      'addMember',
      'removeMember',
      'updateMemberRole',
      'setUserDisabled',
      'signIn',
      'revokeApiToken',
      'somethingNew',
    ])
      expect(mayChangeAccess(op(`mutation { ${field} }`)), field).toBe(true);
    // One access-changing field among neutral ones is enough.
    expect(mayChangeAccess(op(`mutation { startMachine(input: {}) { id } removeMember(id: 1) }`))).toBe(true);
  });

  it('treats what it cannot read field by field as changing access', () => {
    expect(mayChangeAccess(op(`mutation { ...F }`))).toBe(true);
    expect(mayChangeAccess(op(`mutation { startMachine(input: {}) @include(if: true) { id } }`))).toBe(true);
  });
});
