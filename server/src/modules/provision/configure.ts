// The configure step: runs the template's Ansible playbook (ansible/playbooks) on the new guest over
// SSH, with an inventory and key written for this job only (orchestration/src/ansible), each task
// result becoming a job event. It runs only when the platform allows it (CONFIGURE_GUESTS), Ansible
// is installed and the guest answers on its SSH port; otherwise the step is skipped with the reason.
import { connect } from 'node:net';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AnsibleRunner } from '@pvepaas/orchestration/ansible/ansible.runner';
import { CommandError, findOnPath } from '@pvepaas/orchestration/terraform/process';
import type { ProgressEvent } from '@pvepaas/orchestration/terraform/progress';
import { StepError, type Step, type StepContext } from '../../jobs/runner.js';
import type { SecretStore } from '../../secrets/secret-store.js';
import type { Machine } from '../machine/machine.entity.js';
import { MachineKind } from '../template/template.entity.js';
import { credentialsPath, type MachineCredentials } from './credentials.js';
import type { TerraformCheckpoint } from './terraform-provisioner.js';

export interface ConfigureSettings {
  /** CONFIGURE_GUESTS: off unless the platform says so (embedded mode: off). */
  enabled: boolean;
  /** The repository's ansible/ directory. */
  ansibleDir: string;
  /** `ansible-playbook` or an absolute path, looked up on env.PATH. */
  binary?: string;
  /** Base environment of ansible-playbook (PATH, HOME); default: the worker's. */
  env?: NodeJS.ProcessEnv;
  extraEnv?: Record<string, string>;
  /** The guest's SSH port (22). */
  sshPort?: number;
  /** How long the TCP connect to the SSH port may take before the guest counts as unreachable. */
  reachTimeoutMs?: number;
  /** Between SIGINT and SIGKILL when the run is cancelled. */
  graceMs?: number;
}

/** The playbook for a template's operating system, or why there is none. */
export function playbookFor(os: string): { playbook: string } | { none: string } {
  if (os.startsWith('debian')) return { playbook: 'debian.yml' };
  if (os.startsWith('ubuntu')) return { playbook: 'ubuntu.yml' };
  if (os.startsWith('windows'))
    return { none: `Windows guests are configured over WinRM (playbooks/windows.yml), not by this step.` };
  return { none: `No playbook for operating system ${os} (there are playbooks for debian-* and ubuntu-*).` };
}

/** True when a TCP connection to host:port opens within timeoutMs. */
export function tcpReachable(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

type Ctx = StepContext<TerraformCheckpoint>;
type Loader = (ctx: Ctx) => Promise<{ em: EntityManager; machine: Machine }>;

export function configureStep(
  deps: { secrets: SecretStore; configure?: ConfigureSettings },
  load: Loader,
): Step<TerraformCheckpoint> {
  return {
    name: 'configure',
    weight: 1,
    timeoutMs: 30 * 60_000,
    async run(ctx) {
      const settings = deps.configure;
      // Checked first: with the switch off nothing is looked up and no guest address is contacted.
      if (!settings?.enabled)
        return ctx.skip(
          'Guest configuration is off on this platform (CONFIGURE_GUESTS is not true): the guest runs as its template made it.',
        );
      const { machine } = await load(ctx);
      const choice = playbookFor(machine.template.os);
      if ('none' in choice) return ctx.skip(choice.none);
      const env = settings.env ?? process.env;
      const binary = settings.binary ?? 'ansible-playbook';
      try {
        await findOnPath(binary, env.PATH);
      } catch (err) {
        if (!(err instanceof CommandError)) throw err;
        return ctx.skip(
          `Ansible is not installed on the worker: ${binary} is not on its PATH (${env.PATH || 'empty'}).`,
        );
      }
      const address = machine.ipAddresses[0];
      if (!address) return ctx.skip('The guest reported no IPv4 address to configure it over SSH.');
      const port = settings.sshPort ?? 22;
      const timeoutMs = settings.reachTimeoutMs ?? 3000;
      if (!(await tcpReachable(address, port, timeoutMs)))
        return ctx.skip(
          `The guest at ${address} does not answer on port ${port} within ${timeoutMs / 1000} s (not reachable from the worker).`,
        );
      const creds = (await deps.secrets.read(credentialsPath(machine.id)))?.data as unknown as
        MachineCredentials | undefined;
      if (!creds)
        throw new StepError('SECRET_MISSING', `The SSH key of machine ${machine.name} is not in the secret store.`);

      const runner = new AnsibleRunner({
        ansibleDir: settings.ansibleDir,
        binary,
        env,
        extraEnv: settings.extraEnv,
        graceMs: settings.graceMs,
      });
      let chain = Promise.resolve();
      let tasks = 0;
      const onProgress = (e: ProgressEvent) => {
        const detail = e.detail ?? {};
        if (detail.type === 'task_result' || detail.type === 'runner_result') tasks++;
        const data = { source: 'ansible', status: e.status, at: e.at, ...detail };
        chain = chain.then(() => ctx.log(e.message, data));
      };
      await ctx.log(`Running ${choice.playbook} on ${address}:${port} as ${userOf(machine)}`, {
        source: 'platform',
        playbook: choice.playbook,
      });
      try {
        const result = await runner.run({
          playbook: choice.playbook,
          hosts: [
            {
              name: machine.name,
              address,
              port,
              user: userOf(machine),
              privateKey: creds.sshPrivateKey,
              vars: { base_qemu_guest_agent: machine.kind === MachineKind.VM },
            },
          ],
          onProgress,
          signal: ctx.signal,
          timeoutMs: this.timeoutMs,
        });
        await chain;
        const s = result.summary;
        await ctx.progress(
          1,
          `${choice.playbook}: ${s.ok} ok, ${s.changed} changed, ${s.skipped} skipped (${tasks} results)`,
        );
      } catch (err) {
        await chain.catch(() => undefined);
        if (!(err instanceof CommandError)) throw err;
        if (err.code === 'COMMAND_TIMEOUT') throw new StepError('STEP_TIMEOUT', err.message);
        if (err.code === 'COMMAND_CANCELLED') throw new StepError('CANCELLED', err.message);
        throw new StepError('CONFIGURE_FAILED', err.message);
      }
    },
  };
}

/** The account the platform's key opens: cloud-init's user on VMs, root in containers. */
const userOf = (machine: Machine) => (machine.kind === MachineKind.VM ? 'paas' : 'root');
