import { describe, expect, it } from 'vitest';
import { mergeCookieHeader, parseSetCookies } from './session-cookies';

describe('session cookie forwarding', () => {
  const renewed = [
    'pvepaas_session=new.jwt.value; Max-Age=600; Path=/; Expires=Thu, 26 Nov 2026 03:00:00 GMT; HttpOnly; SameSite=Lax',
    'pvepaas_refresh=pvr_fam.next; Max-Age=28000; Path=/; HttpOnly; SameSite=Lax',
    'pvepaas_csrf=tok; Max-Age=28000; Path=/; SameSite=Lax',
  ];

  it('reads name and value of each Set-Cookie line', () => {
    expect([...parseSetCookies(renewed)]).toEqual([
      ['pvepaas_session', 'new.jwt.value'],
      ['pvepaas_refresh', 'pvr_fam.next'],
      ['pvepaas_csrf', 'tok'],
    ]);
  });

  it('replaces renewed cookies, keeps the others, drops cleared ones', () => {
    const current = new Map([
      ['pvepaas_refresh', 'pvr_fam.old'],
      ['pvepaas_csrf', 'tok'],
      ['theme', 'dark'],
    ]);
    expect(mergeCookieHeader(current, renewed)).toBe(
      'pvepaas_refresh=pvr_fam.next; pvepaas_csrf=tok; theme=dark; pvepaas_session=new.jwt.value',
    );
    const cleared = ['pvepaas_refresh=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT'];
    expect(mergeCookieHeader(current, cleared)).toBe('pvepaas_csrf=tok; theme=dark');
  });
});
