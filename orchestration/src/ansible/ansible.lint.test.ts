// ansible-lint (production profile) over every role and playbook, and --syntax-check per playbook.
// The tools come from Debian's packages; the test installs them via scripts/ensure-ansible.sh
// or fails saying how.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ANSIBLE_DIR, ensureAnsible } from './test/tools.js';

const playbooks = readdirSync(join(ANSIBLE_DIR, 'playbooks')).filter((f) => f.endsWith('.yml'));
const env = { ...process.env, ANSIBLE_CONFIG: join(ANSIBLE_DIR, 'ansible.cfg'), ANSIBLE_NOCOLOR: '1', LANG: 'C.UTF-8' };

describe('ansible/', () => {
  beforeAll(() => ensureAnsible(), 10 * 60_000);

  it('has a playbook per template', () => {
    expect(playbooks).toEqual(expect.arrayContaining(['debian.yml', 'ubuntu.yml', 'windows.yml', 'base-hardening.yml']));
  });

  it('passes ansible-lint with the production profile', () => {
    const r = spawnSync('ansible-lint', ['--profile', 'production', '--nocolor', '-p', 'playbooks/', 'roles/'], {
      cwd: ANSIBLE_DIR,
      env,
      encoding: 'utf8',
      timeout: 5 * 60_000,
    });
    expect(`${r.stdout}\n${r.stderr}`).toMatch(/Passed with production profile: 0 failure\(s\), 0 warning\(s\)/);
    expect(r.status).toBe(0);
  }, 5 * 60_000);

  it.each(playbooks)('%s passes --syntax-check', (playbook) => {
    const r = spawnSync('ansible-playbook', ['--syntax-check', '-i', 'localhost,', join('playbooks', playbook)], {
      cwd: ANSIBLE_DIR,
      env,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  }, 60_000);

  it('documents every default of every role in its README', async () => {
    const { readFileSync } = await import('node:fs');
    const roles = readdirSync(join(ANSIBLE_DIR, 'roles'));
    const missing: string[] = [];
    for (const role of roles) {
      const defaults = readFileSync(join(ANSIBLE_DIR, 'roles', role, 'defaults/main.yml'), 'utf8');
      const readme = readFileSync(join(ANSIBLE_DIR, 'roles', role, 'README.md'), 'utf8');
      for (const [, name] of defaults.matchAll(/^([a-z][a-z0-9_]*):/gm)) {
        if (!readme.includes(name!)) missing.push(`${role}: ${name}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
