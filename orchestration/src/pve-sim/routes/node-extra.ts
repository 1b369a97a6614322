// Smaller node and cluster endpoints the platform reads: network interfaces, versions, cluster
// options, downloads into storage.
import { PveError } from '../errors.js';
import type { Router } from '../router.js';
import { MiB } from '../state.js';

export function nodeExtraRoutes(r: Router) {
  r.on('GET', '/nodes/{node}/version', ({ sim, params }) => (sim.node(params.node), sim.versionInfo));

  r.on('GET', '/nodes/{node}/network', ({ sim, params }) => {
    const n = sim.node(params.node);
    const [a, b, c, d] = n.ip.split('.');
    const list = [
      { iface: 'eno1', type: 'eth', method: 'manual', families: ['inet'], active: 1, exists: 1, priority: 3 },
      { iface: 'eno2', type: 'eth', method: 'manual', families: ['inet'], active: 1, exists: 1, priority: 4 },
      {
        iface: 'vmbr0',
        type: 'bridge',
        method: 'static',
        families: ['inet'],
        active: 1,
        autostart: 1,
        bridge_ports: 'eno1',
        bridge_stp: 'off',
        bridge_fd: '0',
        address: n.ip,
        netmask: '24',
        cidr: `${n.ip}/24`,
        gateway: `${a}.${b}.${c}.1`,
        priority: 5,
      },
      {
        iface: 'vmbr1',
        type: 'bridge',
        method: 'static',
        families: ['inet'],
        active: 1,
        autostart: 1,
        bridge_ports: 'eno2',
        bridge_stp: 'off',
        bridge_fd: '0',
        bridge_vlan_aware: 1,
        'bridge-vids': '2-4094',
        address: `10.20.0.${d}`,
        netmask: '24',
        cidr: `10.20.0.${d}/24`,
        comments: 'storage / vxlan underlay\n',
        priority: 6,
      },
    ];
    const type = params.str('type');
    if (!type) return list;
    if (type === 'any_bridge') return list.filter((i) => i.type === 'bridge' || i.type === 'OVSBridge');
    return list.filter((i) => i.type === type);
  });

  r.on('GET', '/cluster/options', ({ sim }) => ({
    keyboard: 'en-us',
    console: 'xtermjs',
    'mac-prefix': 'BC:24:11',
    'next-id': { lower: '100', upper: '1000000' },
    description: `simulated cluster ${sim.state.clusterName}`,
  }));

  r.on('POST', '/nodes/{node}/storage/{storage}/download-url', (req) => {
    const { sim, params } = req;
    sim.node(params.node);
    const storageId = params.req('storage');
    const storage = sim.state.storages.find((s) => s.storage === storageId);
    if (!storage) throw PveError.internal(`storage '${storageId}' does not exist`);
    const content = params.req('content');
    if (!storage.content.includes(content))
      throw PveError.internal(`storage '${storageId}' does not support content-type '${content}'`);
    const filename = params.req('filename');
    const dir = content === 'vztmpl' ? 'vztmpl' : content === 'import' ? 'import' : 'iso';
    const volid = `${storageId}:${dir}/${filename}`;
    const url = params.req('url');
    return sim.tasks.start({
      node: params.node,
      type: 'download',
      id: storageId,
      identity: req.identity,
      work: async (t) => {
        await t.checkpoint();
        t.log(`downloading ${url} to /var/lib/vz/template/${dir}/${filename}`);
        const size = 600 * MiB;
        await t.sleep((size / (100 * MiB)) * 1000);
        t.log(`download of '${url}' to '/var/lib/vz/template/${dir}/${filename}' finished`);
        sim.state.volumes = sim.state.volumes.filter(
          (v) => !(v.volid === volid && (storage.shared || v.node === params.node)),
        );
        sim.state.volumes.push({
          volid,
          storage: storageId,
          ...(storage.shared ? {} : { node: params.node }),
          content: content as 'iso',
          format: content === 'vztmpl' ? 'tzst' : content === 'iso' ? 'iso' : 'qcow2',
          size,
          ctime: sim.nowSec(),
        });
        sim.changed();
      },
    });
  });
}
