import { execFileSync, spawnSync } from 'node:child_process';
import { cp, mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { REPO_ROOT } from '../../terraform/test/paths.js';

export const ANSIBLE_DIR = resolve(REPO_ROOT, 'ansible');
const ENSURE = resolve(REPO_ROOT, 'scripts/ensure-ansible.sh');

/**
 * Makes sure ansible-playbook, ansible-lint and debootstrap are installed (scripts/ensure-ansible.sh,
 * quiet when they are), or throws saying how to install them. Tests call it in beforeAll.
 */
export function ensureAnsible(): void {
  const r = spawnSync('bash', [ENSURE], { encoding: 'utf8', timeout: 10 * 60_000 });
  if (r.status !== 0) {
    throw new Error(
      `Ansible tooling is missing and could not be installed (${r.stderr.trim() || r.error?.message}). ` +
        'Install it with: sudo apt-get update && sudo apt-get install -y ansible-core ansible-lint debootstrap',
    );
  }
}

export const which = (bin: string): string | undefined => {
  try {
    return execFileSync('which', [bin], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
};

const CACHE = process.env.PVEPAAS_CACHE_DIR ?? '/var/cache/pvepaas';
const ROOT_CACHE = join(CACHE, 'bookworm-minbase');
const DEB_CACHE = join(CACHE, 'apt-archives');
const MIRROR = process.env.PVEPAAS_DEBIAN_MIRROR ?? 'http://deb.debian.org/debian';

/**
 * A disposable Debian bookworm root for converging roles through the chroot connection. The
 * debootstrap result is cached under /var/cache/pvepaas (built once, ~1 min) and copied per test;
 * downloaded .debs are cached too (see saveDebs), so reruns do not download packages again.
 * policy-rc.d forbids starting services, as in any image build.
 */
export async function debianTarget(dir: string): Promise<string> {
  if (!(await exists(join(ROOT_CACHE, '.pvepaas-complete')))) {
    const tmp = `${ROOT_CACHE}.tmp-${process.pid}`;
    await rm(tmp, { recursive: true, force: true });
    await mkdir(CACHE, { recursive: true });
    execFileSync('debootstrap', ['--variant=minbase', '--include=python3,python3-apt', 'bookworm', tmp, MIRROR], {
      stdio: 'ignore',
      timeout: 15 * 60_000,
    });
    await writeFile(join(tmp, '.pvepaas-complete'), new Date().toISOString());
    await rename(tmp, ROOT_CACHE).catch(() => rm(tmp, { recursive: true, force: true })); // another run won
  }
  await rm(dir, { recursive: true, force: true });
  execFileSync('cp', ['-a', ROOT_CACHE, dir]);
  await writeFile(join(dir, 'usr/sbin/policy-rc.d'), '#!/bin/sh\nexit 101\n', { mode: 0o755 });
  if (await exists(DEB_CACHE)) {
    for (const f of (await readdir(DEB_CACHE)).filter((n) => n.endsWith('.deb'))) {
      await cp(join(DEB_CACHE, f), join(dir, 'var/cache/apt/archives', f));
    }
  }
  return dir;
}

/** Keeps the packages a converge downloaded for the next run. */
export async function saveDebs(dir: string): Promise<void> {
  await mkdir(DEB_CACHE, { recursive: true });
  const archives = join(dir, 'var/cache/apt/archives');
  for (const f of (await readdir(archives)).filter((n) => n.endsWith('.deb'))) {
    if (await exists(join(DEB_CACHE, f))) continue;
    // Copy then rename: another test run may be reading the cache at the same time.
    const tmp = join(DEB_CACHE, `.${f}.${process.pid}`);
    await cp(join(archives, f), tmp);
    await rename(tmp, join(DEB_CACHE, f));
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
