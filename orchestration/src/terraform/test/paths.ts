import { resolve } from 'node:path';

const here = import.meta.dirname;
export const REPO_ROOT = resolve(here, '../../../..');
export const MODULES_DIR = resolve(REPO_ROOT, 'terraform/modules');
export const FIXTURES_DIR = resolve(REPO_ROOT, 'orchestration/test/fixtures');
export const FAKE_BIN_DIR = resolve(FIXTURES_DIR, 'bin');
export const fixture = (name: string) => resolve(FIXTURES_DIR, name);
