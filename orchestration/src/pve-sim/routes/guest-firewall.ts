// Guest firewall: rules (positions, moveto) and options, per qemu/lxc guest.
import { PveError } from '../errors.js';
import type { Router } from '../router.js';
import type { FirewallRule, Guest, GuestType } from '../state.js';

export function guestFirewallRoutes(r: Router, type: GuestType) {
  const base = `/nodes/{node}/${type}/{vmid}`;
  // --- firewall
  r.on('GET', `${base}/firewall`, ({ sim, params }) => {
    sim.guest(params.node, params.vmid, type);
    return ['aliases', 'ipset', 'log', 'options', 'refs', 'rules'].map((name) => ({ name }));
  });
  r.on('GET', `${base}/firewall/options`, ({ sim, params }) => ({
    ...sim.guest(params.node, params.vmid, type).firewall.options,
  }));
  r.on('PUT', `${base}/firewall/options`, ({ sim, params }) => {
    const g = sim.guest(params.node, params.vmid, type);
    for (const k of (params.str('delete') ?? '').split(/[,;\s]+/).filter(Boolean)) delete g.firewall.options[k];
    for (const [k, v] of Object.entries(params.rest(['node', 'vmid', 'delete', 'digest'])))
      g.firewall.options[k] = /^\d+$/.test(v) ? Number(v) : v;
    sim.changed();
    return null;
  });
  const fwRules = (g: Guest) => g.firewall.rules.map((rule, pos) => ({ ...rule, pos, ipversion: rule.ipversion }));
  r.on('GET', `${base}/firewall/rules`, ({ sim, params }) =>
    fwRules(sim.guest(params.node, params.vmid, type)).map(stripUndefined),
  );
  r.on('POST', `${base}/firewall/rules`, ({ sim, params }) => {
    const g = sim.guest(params.node, params.vmid, type);
    const rule = ruleFrom(params.rest(['node', 'vmid', 'pos', 'digest']));
    const pos = Math.min(params.int('pos') ?? 0, g.firewall.rules.length);
    g.firewall.rules.splice(pos, 0, rule);
    sim.changed();
    return null;
  });
  const ruleAt = (g: Guest, pos: number) => {
    const rule = g.firewall.rules[pos];
    if (!rule) throw PveError.internal('no rule at position ' + pos);
    return rule;
  };
  r.on('GET', `${base}/firewall/rules/{pos}`, ({ sim, params }) => {
    const g = sim.guest(params.node, params.vmid, type);
    const pos = params.int('pos') ?? 0;
    return stripUndefined({ ...ruleAt(g, pos), pos });
  });
  r.on('PUT', `${base}/firewall/rules/{pos}`, ({ sim, params }) => {
    const g = sim.guest(params.node, params.vmid, type);
    const pos = params.int('pos') ?? 0;
    const rule = ruleAt(g, pos);
    const moveto = params.int('moveto');
    if (moveto !== undefined) {
      g.firewall.rules.splice(pos, 1);
      g.firewall.rules.splice(Math.min(moveto, g.firewall.rules.length), 0, rule);
    } else {
      for (const k of (params.str('delete') ?? '').split(/[,;\s]+/).filter(Boolean))
        delete (rule as unknown as Record<string, unknown>)[k];
      Object.assign(
        rule,
        ruleFrom({
          ...(rule as unknown as Record<string, string>),
          ...params.rest(['node', 'vmid', 'pos', 'digest', 'delete', 'moveto']),
        }),
      );
    }
    sim.changed();
    return null;
  });
  r.on('DELETE', `${base}/firewall/rules/{pos}`, ({ sim, params }) => {
    const g = sim.guest(params.node, params.vmid, type);
    const pos = params.int('pos') ?? 0;
    ruleAt(g, pos);
    g.firewall.rules.splice(pos, 1);
    sim.changed();
    return null;
  });
}

function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

function ruleFrom(p: Record<string, string>): FirewallRule {
  const rule: FirewallRule = {
    pos: 0,
    type: p.type ?? 'in',
    action: p.action ?? 'ACCEPT',
    enable: p.enable !== undefined ? Number(p.enable) : 0,
  };
  for (const k of [
    'macro',
    'source',
    'dest',
    'proto',
    'dport',
    'sport',
    'iface',
    'log',
    'comment',
    'icmp-type',
  ] as const)
    if (p[k] !== undefined) rule[k] = p[k];
  const { pos: _pos, ...rest } = rule;
  return rest as FirewallRule;
}
