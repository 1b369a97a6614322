import { isAbsolute, join } from 'node:path';

export interface PlaybookArgs {
  playbook: string;
  inventoryFile: string;
  extraVarsFile?: string;
  check?: boolean;
  limit?: string;
  tags?: string[];
}

/** argv for ansible-playbook; the playbook is relative to `<ansibleDir>/playbooks` unless absolute. */
export function playbookArgv(binary: string, ansibleDir: string, a: PlaybookArgs): string[] {
  const playbook = isAbsolute(a.playbook) ? a.playbook : join(ansibleDir, 'playbooks', a.playbook);
  return [
    binary,
    '-i',
    a.inventoryFile,
    ...(a.extraVarsFile ? ['-e', `@${a.extraVarsFile}`] : []),
    ...(a.check ? ['--check', '--diff'] : []),
    ...(a.limit ? ['--limit', a.limit] : []),
    ...(a.tags?.length ? ['--tags', a.tags.join(',')] : []),
    playbook,
  ];
}

/** The child's environment: our config and callback, per-job temp dirs, nothing else inherited. */
export function ansibleEnv(base: NodeJS.ProcessEnv, ansibleDir: string, jobDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const k of ['PATH', 'HOME', 'TMPDIR'] as const) if (base[k] !== undefined) env[k] = base[k];
  return {
    ...env,
    // Ansible refuses to start without a UTF-8 locale.
    LANG: 'C.UTF-8',
    LC_ALL: 'C.UTF-8',
    PYTHONUNBUFFERED: '1',
    ANSIBLE_CONFIG: join(ansibleDir, 'ansible.cfg'),
    ANSIBLE_ROLES_PATH: join(ansibleDir, 'roles'),
    ANSIBLE_CALLBACK_PLUGINS: join(ansibleDir, 'callback_plugins'),
    ANSIBLE_STDOUT_CALLBACK: 'pvepaas_jsonl',
    ANSIBLE_NOCOLOR: '1',
    ANSIBLE_RETRY_FILES_ENABLED: '0',
    ANSIBLE_LOCAL_TEMP: join(jobDir, 'tmp'),
    // Short path: ControlPath sockets are limited to ~100 bytes.
    ANSIBLE_SSH_CONTROL_PATH_DIR: join(jobDir, 'cp'),
  };
}
