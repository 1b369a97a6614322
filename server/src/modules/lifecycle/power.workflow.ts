// Power workflows: start, shutdown, stop, reboot, suspend and resume. Each checks the guest's real
// state first (skip when it is already there, fail when the operation cannot apply), starts one
// Proxmox task and waits for it; start and reboot then wait for the guest's address.
import { StepError } from '../../jobs/runner.js';
import { MachineStatus } from '../machine/machine.entity.js';
import {
  guestAddresses,
  guestState,
  locateGuest,
  runTask,
  started,
  workflow,
  type GuestState,
  type LifecycleDeps,
  type LStep,
  type LWorkflow,
} from './lifecycle.steps.js';
import { updateMachine } from './machine-events.js';

interface PowerAction {
  /** A reason to skip when the guest is already in this state. */
  skipWhen: Partial<Record<GuestState, string>>;
  /** A reason to fail when the guest is in this state. */
  failWhen?: Partial<Record<GuestState, string>>;
  start(located: Awaited<ReturnType<typeof locateGuest>>, params: Record<string, unknown>): Promise<string>;
  /** The wait for the task, from the job's parameters. */
  waitMs?(params: Record<string, unknown>): number;
}

function powerStep(deps: LifecycleDeps, name: string, action: PowerAction): LStep {
  return {
    name,
    weight: 4,
    // Long enough for the longest shutdown timeout (an hour) plus its forced stop.
    timeoutMs: 65 * 60_000,
    async run(ctx) {
      const located = await locateGuest(deps, ctx);
      const { client, api, node, vmid } = located;
      if (!started(ctx, name)) {
        const state = await guestState(api, node, vmid);
        const fail = action.failWhen?.[state];
        if (fail) throw new StepError('INVALID_STATE', fail);
        const skip = action.skipWhen[state];
        if (skip) ctx.skip(skip);
      }
      const waitMs = action.waitMs?.(ctx.params) ?? 5 * 60_000;
      await runTask(ctx, client, name, waitMs, () => action.start(located, ctx.params));
    },
  };
}

/** Waits for the guest's address after a boot; goes on without one after addressTimeoutMs. */
function addressStep(deps: LifecycleDeps): LStep {
  const limit = deps.addressTimeoutMs ?? 2 * 60_000;
  return {
    name: 'address',
    weight: 1,
    timeoutMs: limit + 30_000,
    async run(ctx) {
      const { machine, client, node, vmid } = await locateGuest(deps, ctx);
      const deadline = Date.now() + limit;
      for (let delay = 200; Date.now() < deadline && !ctx.signal.aborted; delay = Math.min(delay * 2, 5000)) {
        const addresses = await guestAddresses(client, machine.kind, node, vmid).catch(() => []);
        if (addresses.length > 0) {
          await updateMachine(deps.em, deps.pubsub, machine.id, { ipAddresses: addresses });
          await ctx.progress(1, `Address ${addresses[0]}`);
          return;
        }
        await new Promise((r) => setTimeout(r, Math.min(delay, Math.max(0, deadline - Date.now()))));
      }
      ctx.skip(`The guest reported no address within ${Math.round(limit / 1000)} s (is its guest agent running?).`);
    },
  };
}

export function powerWorkflows(deps: LifecycleDeps): LWorkflow[] {
  const stopped = 'The guest is already stopped.';
  const notRunning = 'The guest is not running (it was stopped outside the platform); start it instead.';
  return [
    workflow(
      deps,
      'start',
      [
        powerStep(deps, 'start', {
          skipWhen: { running: 'The guest is already running.' },
          failWhen: { paused: 'The guest is suspended; resume it instead.' },
          start: ({ api, node, vmid }) => api.start(node, vmid),
        }),
        addressStep(deps),
      ],
      MachineStatus.RUNNING,
    ),
    workflow(
      deps,
      'shutdown',
      [
        powerStep(deps, 'shutdown', {
          skipWhen: { stopped },
          start: ({ api, node, vmid }, p) =>
            api.shutdown(node, vmid, { timeout: Number(p.timeoutSeconds), forceStop: Boolean(p.forceStopAfter) }),
          waitMs: (p) => Number(p.timeoutSeconds) * 1000 + 5 * 60_000,
        }),
      ],
      MachineStatus.STOPPED,
    ),
    workflow(
      deps,
      'stop',
      [powerStep(deps, 'stop', { skipWhen: { stopped }, start: ({ api, node, vmid }) => api.stop(node, vmid) })],
      MachineStatus.STOPPED,
    ),
    workflow(
      deps,
      'reboot',
      [
        powerStep(deps, 'reboot', {
          skipWhen: {},
          failWhen: { stopped: notRunning, paused: 'The guest is suspended; resume it first.' },
          start: ({ api, node, vmid }) => api.reboot(node, vmid),
        }),
        addressStep(deps),
      ],
      MachineStatus.RUNNING,
    ),
    workflow(
      deps,
      'suspend',
      [
        powerStep(deps, 'suspend', {
          skipWhen: { paused: 'The guest is already suspended.' },
          failWhen: { stopped: notRunning },
          start: ({ client, node, vmid }) => client.qemu.suspend(node, vmid),
        }),
      ],
      MachineStatus.SUSPENDED,
    ),
    workflow(
      deps,
      'resume',
      [
        powerStep(deps, 'resume', {
          skipWhen: { running: 'The guest is already running.' },
          failWhen: { stopped: notRunning },
          start: ({ api, node, vmid }) => api.resume(node, vmid),
        }),
      ],
      MachineStatus.RUNNING,
    ),
  ];
}
