// Cloud-init as qemu-server generates it (Cloudinit.pm, nocloud/configdrive2 user-data): `dump`
// shows the user, network and meta data the VM would boot with, `PUT` regenerates the drive.
import { createHash } from 'node:crypto';
import { PveError } from '../errors.js';
import type { Router } from '../router.js';
import type { Guest } from '../state.js';
import { hostname } from './guest-common.js';

function userData(g: Guest): string {
  const c = g.config;
  const lines = ['#cloud-config', `hostname: ${hostname(g)}`, 'manage_etc_hosts: true', 'fqdn: ' + hostname(g)];
  if (c.ciuser) lines.push(`user: ${c.ciuser}`);
  if (c.cipassword) lines.push(`password: ${c.cipassword}`);
  if (c.sshkeys) {
    const keys = decodeURIComponent(c.sshkeys)
      .split('\n')
      .filter((k) => k.trim());
    lines.push('ssh_authorized_keys:', ...keys.map((k) => `  - ${k}`));
  }
  lines.push('chpasswd:', '  expire: False');
  if (c.ciupgrade !== '0') lines.push('package_upgrade: true');
  return `${lines.join('\n')}\n`;
}

function networkData(g: Guest): string {
  const out = ['version: 1', 'config:'];
  for (const key of Object.keys(g.config)
    .filter((k) => /^net\d+$/.test(k))
    .sort()) {
    const i = key.slice(3);
    const mac = /^[a-z0-9_-]+=([0-9A-F:]{17})/i.exec(g.config[key] ?? '')?.[1]?.toLowerCase() ?? '';
    out.push('    - type: physical', `      name: eth${i}`, `      mac_address: '${mac}'`, '      subnets:');
    const ip = g.config[`ipconfig${i}`] ?? (i === '0' ? 'ip=dhcp' : '');
    const v4 = /(?:^|,)ip=([^,]+)/.exec(ip)?.[1];
    const gw = /(?:^|,)gw=([^,]+)/.exec(ip)?.[1];
    if (v4 === 'dhcp' || !v4) out.push('      - type: dhcp4');
    else {
      const [address, prefix] = v4.split('/');
      out.push(
        '      - type: static',
        `        address: '${address}'`,
        `        netmask: '${prefixToMask(Number(prefix))}'`,
      );
      if (gw) out.push(`        gateway: '${gw}'`);
    }
  }
  if (g.config.nameserver || g.config.searchdomain) {
    out.push(
      '    - type: nameserver',
      '      address:',
      ...(g.config.nameserver ?? '')
        .split(/[\s,]+/)
        .filter(Boolean)
        .map((a) => `      - '${a}'`),
    );
    if (g.config.searchdomain)
      out.push('      search:', ...g.config.searchdomain.split(/[\s,]+/).map((d) => `      - '${d}'`));
  }
  return `${out.join('\n')}\n`;
}

const prefixToMask = (p: number) =>
  [0, 1, 2, 3].map((i) => (p >= (i + 1) * 8 ? 255 : p <= i * 8 ? 0 : 256 - 2 ** (8 - (p - i * 8)))).join('.');

export function cloudinitRoutes(r: Router) {
  const base = '/nodes/{node}/qemu/{vmid}/cloudinit';
  const ciGuest = (sim: Parameters<Parameters<Router['on']>[2]>[0]['sim'], node: string, vmid: number) => {
    const g = sim.guest(node, vmid, 'qemu');
    if (!Object.values(g.config).some((v) => /cloudinit/.test(v)))
      throw PveError.internal(`VM ${vmid} has no cloud-init drive`);
    return g;
  };
  r.on('GET', `${base}/dump`, ({ sim, params }) => {
    const g = ciGuest(sim, params.node, params.vmid);
    const type = params.req('type');
    if (type === 'user') return userData(g);
    if (type === 'network') return networkData(g);
    const id = createHash('sha1')
      .update(userData(g) + networkData(g))
      .digest('hex');
    return `instance-id: ${id}\n`;
  });
  r.on('GET', base, ({ sim, params }) => {
    const g = ciGuest(sim, params.node, params.vmid);
    const keys = [
      'ciuser',
      'cipassword',
      'sshkeys',
      'nameserver',
      'searchdomain',
      'citype',
      'ciupgrade',
      ...Object.keys(g.config).filter((k) => /^ipconfig\d+$/.test(k)),
    ];
    return keys
      .filter((k) => g.config[k] !== undefined || g.pending[k] !== undefined)
      .map((key) => ({ key, ...(g.config[key] !== undefined ? { value: g.config[key] } : {}) }));
  });
  r.on('PUT', base, ({ sim, params }) => {
    ciGuest(sim, params.node, params.vmid);
    return null;
  });
}
