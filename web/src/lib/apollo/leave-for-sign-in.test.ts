import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// A page's location, as far as leaving it goes: each call is one navigation the user would see.
function stubLocation() {
  const location = { assign: vi.fn(), replace: vi.fn(), reload: vi.fn() };
  vi.stubGlobal('window', { location });
  return location;
}

// The module holds whether this page is already leaving: a fresh copy per test is a fresh page.
const freshModule = () => import('./leave-for-sign-in');

beforeEach(() => {
  vi.resetModules();
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('leaving for the sign-in form', () => {
  it('navigates once: the sign-out button first, then live queries failing UNAUTHENTICATED stand down', async () => {
    const location = stubLocation();
    const { isLeavingForSignIn, leaveForSignIn } = await freshModule();
    expect(isLeavingForSignIn()).toBe(false);

    leaveForSignIn('replace');
    leaveForSignIn('reload');
    leaveForSignIn();

    expect(isLeavingForSignIn()).toBe(true);
    expect(location.replace).toHaveBeenCalledTimes(1);
    expect(location.replace).toHaveBeenCalledWith('/sign-in');
    expect(location.reload).not.toHaveBeenCalled();
    expect(location.assign).not.toHaveBeenCalled();
  });

  it('a reload started by an expired session is the only navigation, even when sign-out follows', async () => {
    const location = stubLocation();
    const { leaveForSignIn } = await freshModule();

    leaveForSignIn('reload');
    leaveForSignIn('replace');

    expect(location.reload).toHaveBeenCalledTimes(1);
    expect(location.replace).not.toHaveBeenCalled();
  });

  it('goes to /sign-in with a history entry by default', async () => {
    const location = stubLocation();
    const { leaveForSignIn } = await freshModule();

    leaveForSignIn();

    expect(location.assign).toHaveBeenCalledExactlyOnceWith('/sign-in');
  });
});
