import { describe, expect, it } from 'vitest';
import { checkPermissions, requiredPrivileges, type PermissionSource } from './permissions.js';

type Perms = Record<string, Record<string, number>>;

function source(
  version: string,
  grant: (path: string) => Record<string, number>,
): PermissionSource & { asked: string[] } {
  const asked: string[] = [];
  return {
    authId: 'paas@pve!platform',
    asked,
    version: async () => ({ version }),
    permissions: async ({ path }) => {
      asked.push(path!);
      return { [path!]: grant(path!) } as Perms;
    },
  };
}

const all = (major: number) => (path: string) =>
  Object.fromEntries(
    requiredPrivileges(major)
      .filter((r) => r.path === path)
      .map((r) => [r.privilege, 1]),
  );

describe('checkPermissions', () => {
  it('asks once per path and reports ok when everything propagates', async () => {
    const s = source('9.1.2', all(9));
    const report = await checkPermissions(s);
    expect(report).toMatchObject({
      ok: true,
      missing: [],
      missingOptional: [],
      authId: 'paas@pve!platform',
      pveVersion: '9.1.2',
    });
    expect(new Set(s.asked).size).toBe(s.asked.length);
    expect(s.asked.sort()).toEqual(['/', '/mapping/pci', '/pool', '/sdn', '/sdn/zones', '/storage', '/vms']);
  });

  it('a privilege without propagation does not count for children', async () => {
    const report = await checkPermissions(
      source('9.1.2', (p) => ({ ...all(9)(p), ...(p === '/vms' ? { 'VM.Allocate': 0 } : {}) })),
    );
    expect(report.ok).toBe(false);
    expect(report.missing.map((m) => `${m.path} ${m.privilege}`)).toEqual(['/vms VM.Allocate']);
  });

  it('optional privileges are reported separately and do not fail the check', async () => {
    const report = await checkPermissions(
      source('9.1.2', (p) => {
        const g = all(9)(p);
        delete g['SDN.Allocate'];
        delete g['VM.GuestAgent.Audit'];
        return g;
      }),
    );
    expect(report.ok).toBe(true);
    expect(report.missingOptional.map((m) => m.privilege).sort()).toEqual(['SDN.Allocate', 'VM.GuestAgent.Audit']);
  });

  it('uses the PVE 8 name for guest agent access', async () => {
    expect(requiredPrivileges(8).map((r) => r.privilege)).toContain('VM.Monitor');
    expect(requiredPrivileges(8).map((r) => r.privilege)).not.toContain('VM.GuestAgent.Audit');
    const report = await checkPermissions(source('8.4.1', () => ({})));
    expect(report.missing.length).toBeGreaterThan(20);
    expect(report.missingOptional.map((m) => m.privilege)).toContain('VM.Monitor');
  });

  it('every required privilege exists in the schema of its version', async () => {
    const { readFileSync } = await import('node:fs');
    for (const [major, file] of [
      [9, 'apidata-9.1.json'],
      [8, 'apidata-8.4.json'],
    ] as const) {
      const text = readFileSync(new URL(`../../pve-schema/${file}`, import.meta.url), 'utf8');
      for (const r of requiredPrivileges(major))
        expect(text, `${r.privilege} in ${file}`).toContain(`"${r.privilege}"`);
    }
  });
});
