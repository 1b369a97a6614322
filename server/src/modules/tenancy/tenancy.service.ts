// Tenant isolation on Proxmox VE, through the Proxmox client: each project gets a resource pool
// and an SDN VNet of its own (in the platform's zone), and each of its guests goes into that pool,
// on that VNet, behind its own firewall (inbound dropped except what the project opens).
//
// The pool and the VNet belong to the project, not to one machine: they are made the first time a
// machine of the project is provisioned on a cluster and kept for the next ones. Making them is
// idempotent (each object is looked up first, and one made meanwhile by a concurrent job is taken
// as it is) and all-or-nothing (what this call made is removed again when a later part fails).
import { createHash } from 'node:crypto';
import {
  parseLxcNet,
  parseQemuNet,
  type FirewallRule as PveFirewallRule,
  type ProxmoxClient,
  type SdnZone,
} from '@pvepaas/orchestration/proxmox/index';
import { FirewallProtocol, type FirewallRule } from './firewall-rule.js';

/** The SDN zone the platform's VNets live in. An operator may create it beforehand (e.g. as a VXLAN zone). */
export const PLATFORM_ZONE = 'pvepaas';
/** Comment on the firewall rules the platform manages, so a re-run replaces only those. */
export const RULE_COMMENT = 'pvepaas: opened by the project';

export interface ProjectIsolation {
  pool: string;
  vnet: string;
  zone: string;
}

/** Proxmox pool ids allow letters, digits, '-' and '_': the project's id, shortened. */
export function projectPoolId(projectId: string): string {
  return `pvp-${projectId.replace(/-/g, '').slice(0, 12)}`;
}

/** SDN VNet ids are at most 8 characters, a letter then letters or digits: a hash of the project id. */
export function projectVnetId(projectId: string): string {
  const n = BigInt('0x' + createHash('sha256').update(projectId).digest('hex').slice(0, 16));
  return `p${n.toString(36).padStart(7, '0').slice(-7)}`;
}

/** Written on the pool and the VNet: whose they are. A different marker means a name collision. */
export const ownerMarker = (projectId: string) => `pvepaas project ${projectId}`;

export class TenancyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TenancyError';
  }
}

/** Zones whose VNets need a tag (VLAN id or VXLAN VNI); simple zones need none. */
const TAGGED_ZONES = new Set(['vlan', 'qinq', 'vxlan', 'evpn']);

/**
 * Makes sure the project's pool, the platform zone and the project's VNet exist on the cluster and
 * the VNet is applied. Returns their names.
 */
export async function ensureProjectIsolation(client: ProxmoxClient, projectId: string): Promise<ProjectIsolation> {
  const names = { pool: projectPoolId(projectId), vnet: projectVnetId(projectId), zone: PLATFORM_ZONE };
  const marker = ownerMarker(projectId);
  // Guest firewalls only filter while the datacenter firewall is on: without it the isolation
  // would be a promise on paper. Turning it on is the operator's decision (it filters the nodes too).
  if (!(await client.firewall.getOptions()).enable)
    throw new TenancyError(
      "The cluster's datacenter firewall is off, so guest firewalls would let everything in. Ask an operator to enable it (Datacenter → Firewall → Options, or PUT /cluster/firewall/options enable=1), then retry the job.",
    );
  const madeHere: { what: string; undo: () => Promise<unknown> }[] = [];
  /** Creates unless present; a create that loses a race to a concurrent job reads the winner's. */
  const ensure = async <T>(
    find: () => Promise<T | undefined>,
    create: () => Promise<void>,
    undo: () => Promise<void>,
    what: string,
  ) => {
    const existing = await find();
    if (existing) return { value: existing, created: false };
    try {
      await create();
    } catch (err) {
      const raced = await find();
      if (raced) return { value: raced, created: false };
      throw err;
    }
    madeHere.push({ what, undo });
    return { value: (await find())!, created: true };
  };
  try {
    const pool = await ensure(
      async () => (await client.pools.list()).find((p) => p.poolid === names.pool),
      () => client.pools.create(names.pool, marker),
      () => client.pools.delete(names.pool),
      `pool ${names.pool}`,
    );
    if (pool.value.comment !== marker)
      throw new TenancyError(
        `Pool ${names.pool} on the cluster belongs to something else (${pool.value.comment ?? 'no comment'}); rename it.`,
      );

    const zone = await ensure<SdnZone>(
      async () => (await client.sdn.zones()).find((z) => z.zone === names.zone),
      () => client.sdn.createZone({ zone: names.zone, type: 'simple', ipam: 'pve' }),
      () => client.sdn.deleteZone(names.zone),
      `SDN zone ${names.zone}`,
    );
    const vnets = await client.sdn.vnets();
    const vnet = await ensure(
      async () => (await client.sdn.vnets()).find((v) => v.vnet === names.vnet),
      () =>
        client.sdn.createVnet({
          vnet: names.vnet,
          zone: names.zone,
          alias: marker,
          tag: TAGGED_ZONES.has(zone.value.type) ? nextTag(vnets.filter((v) => v.zone === names.zone)) : undefined,
        }),
      () => client.sdn.deleteVnet(names.vnet),
      `SDN VNet ${names.vnet}`,
    );
    if (vnet.value.alias !== marker)
      throw new TenancyError(
        `SDN VNet ${names.vnet} belongs to something else (${vnet.value.alias ?? 'no alias'}); rename it.`,
      );
    if (vnet.value.zone !== names.zone)
      throw new TenancyError(`SDN VNet ${names.vnet} is in zone ${vnet.value.zone}, not ${names.zone}.`);

    // A guest cannot start on a VNet that is only staged: apply unless the running config has it.
    const running = (await client.sdn.vnets({ running: true })).some((v) => v.vnet === names.vnet);
    if (!running || zone.created) await client.waitForTask(await client.sdn.apply(), { timeoutMs: 120_000 });
    return names;
  } catch (err) {
    for (const made of madeHere.reverse()) await made.undo().catch(() => undefined);
    throw err;
  }
}

function nextTag(vnets: { tag?: number }[]): number {
  return Math.max(999, ...vnets.map((v) => Number(v.tag ?? 0))) + 1;
}

export type GuestKind = 'qemu' | 'lxc';

/**
 * Puts a (stopped, just created) guest in the project's pool, moves its first NIC onto the
 * project's VNet with the firewall on, closes inbound traffic and opens what the project lists.
 * Idempotent: running it again converges to the same state.
 */
export async function isolateGuest(
  client: ProxmoxClient,
  guest: { kind: GuestKind; node: string; vmid: number },
  isolation: ProjectIsolation,
  rules: FirewallRule[],
): Promise<void> {
  const { kind, node, vmid } = guest;
  await client.pools.update(isolation.pool, { vms: [vmid], allowMove: true });

  if (kind === 'qemu') {
    const config = await client.qemu.getConfig(node, vmid);
    const current = typeof config.net0 === 'string' ? parseNet(config.net0, 'qemu') : {};
    await client.qemu.setConfig(node, vmid, {
      net: { 0: { model: 'virtio', ...current, bridge: isolation.vnet, firewall: true, tag: undefined } },
    } as never);
  } else {
    const config = await client.lxc.getConfig(node, vmid);
    const current = typeof config.net0 === 'string' ? parseNet(config.net0, 'lxc') : {};
    await client.lxc.setConfig(node, vmid, {
      net: { 0: { name: 'eth0', ip: 'dhcp', ...current, bridge: isolation.vnet, firewall: true, tag: undefined } },
    } as never);
  }

  await applyFirewall(client, guest, rules);
}

/** The guest's firewall on, inbound dropped, and exactly the project's rules opened (idempotent). */
export async function applyFirewall(
  client: ProxmoxClient,
  guest: { kind: GuestKind; node: string; vmid: number },
  rules: FirewallRule[],
): Promise<void> {
  const { kind, node, vmid } = guest;
  const firewall = kind === 'qemu' ? client.qemu.firewall : client.lxc.firewall;
  await firewall.setOptions(node, vmid, { enable: true, policy_in: 'DROP', policy_out: 'ACCEPT' });
  await syncRules(
    firewall,
    node,
    vmid,
    rules.map((r) => ({
      type: 'in',
      action: 'ACCEPT',
      proto: r.protocol === FirewallProtocol.UDP ? 'udp' : 'tcp',
      dport: String(r.port),
      ...(r.source ? { source: r.source } : {}),
    })),
  );
}

type RuleSpec = Pick<PveFirewallRule, 'type' | 'action' | 'proto' | 'dport' | 'source'>;
const ruleKey = (r: RuleSpec) => [r.type, r.action, r.proto, r.dport, r.source ?? ''].join('|');

/** The platform's rules on the guest become exactly `wanted`; rules an operator added stay. */
async function syncRules(
  firewall: ProxmoxClient['qemu']['firewall'],
  node: string,
  vmid: number,
  wanted: RuleSpec[],
): Promise<void> {
  const existing = (await firewall.listRules(node, vmid)).filter((r) => r.comment === RULE_COMMENT);
  const wantedKeys = new Set(wanted.map(ruleKey));
  // Highest position first, so the positions still to delete do not shift.
  for (const stale of existing.filter((r) => !wantedKeys.has(ruleKey(r))).sort((a, b) => b.pos - a.pos))
    await firewall.deleteRule(node, vmid, stale.pos);
  const have = new Set(existing.map(ruleKey));
  for (const rule of wanted.filter((r) => !have.has(ruleKey(r))))
    await firewall.createRule(node, vmid, { ...rule, enable: true, comment: RULE_COMMENT });
}

/** The NIC's other settings (model and MAC, or name and addressing) are kept as they are. */
function parseNet(raw: string, kind: GuestKind): Record<string, unknown> {
  const parsed = kind === 'qemu' ? parseQemuNet(raw) : parseLxcNet(raw);
  return Object.fromEntries(Object.entries(parsed).filter(([, v]) => v !== undefined));
}
