// The datacenter firewall's options (`/cluster/firewall/options`): guest firewalls only filter
// when it is enabled. The simulated cluster starts with it on (an operator's first step when a
// platform isolates tenants); a fresh Proxmox VE has it off.
import type { Router } from '../router.js';
import type { Sim } from '../sim.js';

export const SEEDED_CLUSTER_FIREWALL = { enable: 1, policy_in: 'DROP', policy_out: 'ACCEPT' };

function options(sim: Sim): Record<string, string | number> {
  // State files written before this existed get the seeded options.
  sim.state.clusterFirewall ??= { options: { ...SEEDED_CLUSTER_FIREWALL } };
  return sim.state.clusterFirewall.options;
}

export function clusterFirewallRoutes(r: Router) {
  r.on('GET', '/cluster/firewall', () =>
    ['aliases', 'groups', 'ipset', 'macros', 'options', 'refs', 'rules'].map((name) => ({ name })),
  );
  r.on('GET', '/cluster/firewall/options', ({ sim }) => ({ ...options(sim) }));
  r.on('PUT', '/cluster/firewall/options', ({ sim, params }) => {
    const o = options(sim);
    for (const k of (params.str('delete') ?? '').split(/[,;\s]+/).filter(Boolean)) delete o[k];
    for (const [k, v] of Object.entries(params.rest(['delete', 'digest']))) o[k] = /^\d+$/.test(v) ? Number(v) : v;
    sim.changed();
    return null;
  });
}
