import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { CommandError, findOnPath, runCommand } from '../terraform/process.js';
import type { ProgressCallback } from '../terraform/progress.js';
import { AnsibleStream, type RecapTotals, type TaskFailure } from './ansible-stream.js';
import { ansibleEnv, playbookArgv } from './commands.js';
import { buildInventory, type AnsibleConnection } from './inventory.js';

export interface AnsibleConfig {
  /** `ansible-playbook` or an absolute path; looked up on env.PATH. */
  binary?: string;
  /** The repository's ansible/ directory (ansible.cfg, roles, playbooks, callback plugin). */
  ansibleDir: string;
  /** Base environment (PATH, HOME). Defaults to the parent's. */
  env?: NodeJS.ProcessEnv;
  /** Extra variables for the child (tests point the fake binary at its fixture here). */
  extraEnv?: Record<string, string>;
  /** Where per-job directories (key, inventory) are created; default os.tmpdir(). */
  tempRoot?: string;
  timeoutMs?: number;
  graceMs?: number;
}

export interface PlaybookHost {
  name: string;
  address: string;
  connection?: AnsibleConnection;
  user?: string;
  port?: number;
  /** PEM private key; written 0600 into the job directory and removed after the run. */
  privateKey?: string;
  password?: string;
  /**
   * The host's public SSH keys as reported by the guest (`ssh-ed25519 AAAA...`). When given, the
   * connection fails on any other key; without them the first key seen is trusted for this job.
   */
  hostKeys?: string[];
  vars?: Record<string, unknown>;
}

export interface RunPlaybookInput {
  /** File name under ansible/playbooks (e.g. `debian.yml`) or an absolute path. */
  playbook: string;
  hosts: PlaybookHost[];
  /** Extra variables (highest precedence), passed as a 0600 JSON file, never on the command line. */
  vars?: Record<string, unknown>;
  check?: boolean;
  limit?: string;
  tags?: string[];
  onProgress?: ProgressCallback;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Step name of the progress events; default `ansible.<playbook name>`. */
  step?: string;
}

export interface PlaybookResult {
  summary: RecapTotals;
  hosts: Record<string, RecapTotals>;
  failures: TaskFailure[];
}

const DEFAULT_TIMEOUT = 60 * 60_000;

/** Runs one playbook per call with a private inventory, key and known_hosts that are removed afterwards. */
export class AnsibleRunner {
  constructor(private readonly config: AnsibleConfig) {}

  async run(input: RunPlaybookInput): Promise<PlaybookResult> {
    const baseEnv = this.config.env ?? process.env;
    const binary = await findOnPath(this.config.binary ?? 'ansible-playbook', baseEnv.PATH);
    const jobDir = await mkdtemp(join(this.config.tempRoot ?? tmpdir(), 'pvepaas-ansible-'));
    const stream = new AnsibleStream(input.step ?? `ansible.${basename(input.playbook).replace(/\.ya?ml$/, '')}`);
    try {
      await mkdir(join(jobDir, 'tmp'), { mode: 0o700 });
      await mkdir(join(jobDir, 'cp'), { mode: 0o700 });
      const hosts = await Promise.all(
        input.hosts.map(async (h, i) => {
          if (!h.privateKey) return { ...h, privateKeyFile: undefined };
          const file = join(jobDir, `key-${i}`);
          await writeFile(file, h.privateKey.endsWith('\n') ? h.privateKey : `${h.privateKey}\n`, { mode: 0o600 });
          return { ...h, privateKeyFile: file };
        }),
      );
      const knownHosts = input.hosts.flatMap((h) =>
        (h.hostKeys ?? []).map((key) => `${h.port && h.port !== 22 ? `[${h.address}]:${h.port}` : h.address} ${key.trim()}`),
      );
      await writeFile(join(jobDir, 'known_hosts'), knownHosts.length ? `${knownHosts.join('\n')}\n` : '', { mode: 0o600 });
      const inventoryFile = join(jobDir, 'inventory.json');
      const inventory = buildInventory(
        hosts.map((h) => ({ ...h, pinnedHostKey: (h.hostKeys ?? []).length > 0 })),
        { knownHostsFile: join(jobDir, 'known_hosts') },
      );
      await writeFile(inventoryFile, JSON.stringify(inventory, null, 2), { mode: 0o600 });
      let extraVarsFile: string | undefined;
      if (input.vars && Object.keys(input.vars).length > 0) {
        extraVarsFile = join(jobDir, 'vars.json');
        await writeFile(extraVarsFile, JSON.stringify(input.vars), { mode: 0o600 });
      }
      const argv = playbookArgv(binary, this.config.ansibleDir, {
        playbook: input.playbook,
        inventoryFile,
        extraVarsFile,
        check: input.check,
        limit: input.limit,
        tags: input.tags,
      });
      await runCommand(argv, {
        cwd: this.config.ansibleDir,
        env: { ...ansibleEnv(baseEnv, this.config.ansibleDir, jobDir), ...this.config.extraEnv },
        signal: input.signal,
        timeoutMs: input.timeoutMs ?? this.config.timeoutMs ?? DEFAULT_TIMEOUT,
        graceMs: this.config.graceMs ?? 10_000,
        onStdoutLine: (line) => {
          const event = stream.push(line);
          if (event) input.onProgress?.(event);
        },
      });
      return { summary: stream.summary, hosts: stream.hosts ?? {}, failures: stream.failures };
    } catch (err) {
      if (!(err instanceof CommandError)) throw err;
      const first = stream.failures[0];
      throw err.withDetails(
        { failures: stream.failures, summary: stream.hosts ? stream.summary : null },
        first ? `task "${first.task}" ${first.unreachable ? 'unreachable' : 'failed'} on ${first.host}: ${first.message}` : undefined,
      );
    } finally {
      await rm(jobDir, { recursive: true, force: true });
    }
  }
}
