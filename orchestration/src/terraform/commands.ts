/**
 * argv and environment for every Terraform/OpenTofu command the driver runs. Pure functions: the
 * tests assert on them and the driver passes them to spawn unchanged (no shell anywhere).
 */
export const PLAN_FILE = 'plan.bin';

export interface CommandFlags {
  /** `init -json` exists since Terraform 1.9; older binaries get plain text (still parsed as log lines). */
  initJson?: boolean;
  /** How long to wait for the pg advisory lock held by another run of the same machine. */
  lockTimeout?: string;
}

const common = ['-input=false', '-no-color'] as const;
const lock = (f: CommandFlags) => `-lock-timeout=${f.lockTimeout ?? '60s'}`;

export const initArgv = (binary: string, f: CommandFlags = {}): string[] => [
  binary,
  'init',
  ...common,
  ...(f.initJson === false ? [] : ['-json']),
];

export const planArgv = (binary: string, f: CommandFlags & { destroy?: boolean } = {}): string[] => [
  binary,
  'plan',
  ...common,
  '-json',
  lock(f),
  ...(f.destroy ? ['-destroy'] : []),
  `-out=${PLAN_FILE}`,
];

/** Applies the saved plan, so what runs is exactly what was shown (no -auto-approve needed). */
export const applyArgv = (binary: string, f: CommandFlags = {}): string[] => [
  binary,
  'apply',
  ...common,
  '-json',
  lock(f),
  PLAN_FILE,
];

export const destroyArgv = (binary: string, f: CommandFlags = {}): string[] => [
  binary,
  'destroy',
  '-auto-approve',
  ...common,
  '-json',
  lock(f),
];

/**
 * Selects the machine's workspace (its state row in the pg backend), creating it on first use.
 * Needed because `init` with TF_WORKSPACE naming a missing workspace fails once the schema holds others.
 */
export const workspaceSelectArgv = (binary: string, workspace: string): string[] => [
  binary,
  'workspace',
  'select',
  '-or-create=true',
  workspace,
];

export const outputArgv = (binary: string): string[] => [binary, 'output', '-no-color', '-json'];

export interface TerraformEnvInput {
  /** PATH, HOME and friends for the child; nothing else of the parent's environment is passed. */
  base: NodeJS.ProcessEnv;
  /** Unset for `init` and `workspace select`, which run before the workspace exists. */
  workspace?: string;
  stateConnStr: string;
  proxmox: { endpoint: string; apiToken: string; insecure?: boolean };
  pluginCacheDir?: string;
}

/**
 * The child's whole environment. Secrets (API token, state connection string) go here rather than
 * into main.tf.json or -backend-config, which Terraform would copy into .terraform/ on disk.
 */
export function terraformEnv(input: TerraformEnvInput): NodeJS.ProcessEnv {
  const keep = ['PATH', 'HOME', 'LANG', 'TMPDIR', 'TF_CLI_CONFIG_FILE', 'SSL_CERT_FILE'] as const;
  const env: NodeJS.ProcessEnv = {};
  for (const k of keep) if (input.base[k] !== undefined) env[k] = input.base[k];
  Object.assign(env, {
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    CHECKPOINT_DISABLE: '1',
    PG_CONN_STR: input.stateConnStr,
    PROXMOX_VE_ENDPOINT: input.proxmox.endpoint,
    PROXMOX_VE_API_TOKEN: input.proxmox.apiToken,
    PROXMOX_VE_INSECURE: input.proxmox.insecure ? 'true' : 'false',
  });
  // The pg backend keys states by workspace name: one per machine in one shared schema.
  if (input.workspace) env.TF_WORKSPACE = input.workspace;
  if (input.pluginCacheDir) env.TF_PLUGIN_CACHE_DIR = input.pluginCacheDir;
  return env;
}
