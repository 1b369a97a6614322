import { describe, expect, it } from 'vitest';
import { csrfTokenFrom } from './csrf.link';

describe('csrfTokenFrom', () => {
  it('finds the token among other cookies, decoded', () => {
    expect(csrfTokenFrom('theme=dark; pvepaas_csrf=abc%3D%3D; other=1')).toBe('abc==');
    expect(csrfTokenFrom('pvepaas_csrf=x.y=z')).toBe('x.y=z');
  });
  it('is null without one', () => {
    expect(csrfTokenFrom('')).toBeNull();
    expect(csrfTokenFrom('pvepaas_csrfx=1')).toBeNull();
  });
});
