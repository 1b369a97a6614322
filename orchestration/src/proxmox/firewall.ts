// Guest firewall rules and options (README §4.8): `/nodes/{node}/{qemu|lxc}/{vmid}/firewall/*`.
// A NIC's rules only apply with `firewall=1` on that netN.
import type { Params, ProxmoxHttp } from './http.js';

export type FirewallLogLevel = 'emerg' | 'alert' | 'crit' | 'err' | 'warning' | 'notice' | 'info' | 'debug' | 'nolog';

export interface FirewallRule {
  pos: number;
  type: 'in' | 'out' | 'forward' | 'group';
  /** ACCEPT/DROP/REJECT, or the security group name for type=group. */
  action: string;
  macro?: string;
  source?: string;
  dest?: string;
  proto?: string;
  dport?: string;
  sport?: string;
  iface?: string;
  'icmp-type'?: string;
  log?: FirewallLogLevel;
  enable?: number;
  comment?: string;
  digest?: string;
  ipversion?: number;
}

export type FirewallRuleInput = Omit<FirewallRule, 'pos' | 'enable' | 'digest' | 'ipversion'> & {
  enable?: boolean;
  /** Insert at this position (default: top). */
  pos?: number;
  digest?: string;
};

export interface FirewallOptions {
  enable?: boolean;
  dhcp?: boolean;
  /** Default 1 on PVE 9, 0 on PVE 8. */
  ndp?: boolean;
  radv?: boolean;
  ipfilter?: boolean;
  macfilter?: boolean;
  policy_in?: 'ACCEPT' | 'REJECT' | 'DROP';
  policy_out?: 'ACCEPT' | 'REJECT' | 'DROP';
  log_level_in?: FirewallLogLevel;
  log_level_out?: FirewallLogLevel;
}

function ruleParams(r: Partial<FirewallRuleInput>): Params {
  return {
    type: r.type,
    action: r.action,
    macro: r.macro,
    source: r.source,
    dest: r.dest,
    proto: r.proto,
    dport: r.dport,
    sport: r.sport,
    iface: r.iface,
    'icmp-type': r['icmp-type'],
    log: r.log,
    // `enable` is an integer (not a boolean) in the rule schema.
    enable: r.enable === undefined ? undefined : r.enable ? 1 : 0,
    comment: r.comment,
    pos: r.pos,
    digest: r.digest,
  };
}

const toBool = (v: unknown) => (v === undefined ? undefined : v === 1 || v === '1' || v === true);

export class FirewallApi {
  constructor(
    private readonly http: ProxmoxHttp,
    private readonly base: (node: string, vmid: number) => string,
  ) {}

  private path(node: string, vmid: number, rest: string): string {
    return `${this.base(node, vmid)}/firewall/${rest}`;
  }

  async listRules(node: string, vmid: number): Promise<FirewallRule[]> {
    return (await this.http.get<FirewallRule[]>(this.path(node, vmid, 'rules'))) ?? [];
  }

  getRule(node: string, vmid: number, pos: number): Promise<FirewallRule> {
    return this.http.get<FirewallRule>(this.path(node, vmid, `rules/${pos}`));
  }

  async createRule(node: string, vmid: number, rule: FirewallRuleInput): Promise<void> {
    await this.http.post<null>(this.path(node, vmid, 'rules'), ruleParams(rule));
  }

  async updateRule(
    node: string,
    vmid: number,
    pos: number,
    rule: Partial<FirewallRuleInput> & { moveto?: number; delete?: string[] },
  ): Promise<void> {
    const { pos: _pos, ...p } = ruleParams(rule);
    await this.http.put<null>(this.path(node, vmid, `rules/${pos}`), {
      ...p,
      moveto: rule.moveto,
      delete: rule.delete?.join(','),
    });
  }

  async deleteRule(node: string, vmid: number, pos: number, o: { digest?: string } = {}): Promise<void> {
    await this.http.delete<null>(this.path(node, vmid, `rules/${pos}`), { digest: o.digest });
  }

  async getOptions(node: string, vmid: number): Promise<FirewallOptions> {
    const raw = await this.http.get<Record<string, unknown>>(this.path(node, vmid, 'options'));
    const out: Record<string, unknown> = { ...raw };
    for (const k of ['enable', 'dhcp', 'ndp', 'radv', 'ipfilter', 'macfilter']) out[k] = toBool(raw?.[k]);
    return out as FirewallOptions;
  }

  async setOptions(
    node: string,
    vmid: number,
    o: FirewallOptions & { delete?: string[]; digest?: string },
  ): Promise<void> {
    await this.http.put<null>(this.path(node, vmid, 'options'), { ...o, delete: o.delete?.join(',') });
  }
}

export interface ClusterFirewallOptions {
  /** Guest and node firewalls only filter while this is on. */
  enable?: boolean;
  policy_in?: 'ACCEPT' | 'REJECT' | 'DROP';
  policy_out?: 'ACCEPT' | 'REJECT' | 'DROP';
  policy_forward?: 'ACCEPT' | 'DROP';
  ebtables?: boolean;
  log_ratelimit?: string;
}

/** The datacenter firewall (`/cluster/firewall/options`); `enable` is an integer there. */
export class ClusterFirewallApi {
  constructor(private readonly http: ProxmoxHttp) {}

  async getOptions(): Promise<ClusterFirewallOptions> {
    const raw = (await this.http.get<Record<string, unknown>>('/cluster/firewall/options')) ?? {};
    return { ...raw, enable: toBool(raw.enable) ?? false, ebtables: toBool(raw.ebtables) } as ClusterFirewallOptions;
  }

  async setOptions(o: ClusterFirewallOptions & { delete?: string[]; digest?: string }): Promise<void> {
    await this.http.put<null>('/cluster/firewall/options', {
      ...o,
      enable: o.enable === undefined ? undefined : o.enable ? 1 : 0,
      delete: o.delete?.join(','),
    });
  }
}
