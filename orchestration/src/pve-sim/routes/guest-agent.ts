// What the guest reports about its network: the QEMU guest agent (answers only when the VM runs,
// its agent is enabled and it has booted) and LXC `interfaces`.
import { PveError } from '../errors.js';
import type { ApiRequest, Router } from '../router.js';
import type { Guest, GuestType } from '../state.js';
import { hostname } from './guest-common.js';
import { agentEnabled } from './guest-power.js';

export function guestAgentRoutes(r: Router, type: GuestType) {
  const base = `/nodes/{node}/${type}/{vmid}`;
  // --- guest network view
  if (type === 'qemu') {
    r.on('GET', `${base}/agent`, ({ sim, params }) => {
      sim.guest(params.node, params.vmid, type);
      return [
        'exec',
        'exec-status',
        'file-read',
        'file-write',
        'fsfreeze-freeze',
        'fsfreeze-status',
        'fsfreeze-thaw',
        'fstrim',
        'get-fsinfo',
        'get-host-name',
        'get-memory-block-info',
        'get-memory-blocks',
        'get-osinfo',
        'get-time',
        'get-timezone',
        'get-users',
        'get-vcpus',
        'info',
        'network-get-interfaces',
        'ping',
        'set-user-password',
        'shutdown',
        'suspend-disk',
        'suspend-hybrid',
        'suspend-ram',
      ].map((name) => ({ name }));
    });
    const agent = (req: ApiRequest) => {
      const g = req.sim.guest(req.params.node, req.params.vmid, type);
      if (!agentEnabled(g)) throw PveError.internal('No QEMU guest agent configured');
      if (g.status === 'stopped') throw PveError.internal(`VM ${g.vmid} is not running`);
      if (g.status === 'paused' || !g.agentReadyAt || req.sim.nowMs() < g.agentReadyAt)
        throw PveError.internal('QEMU guest agent is not running');
      return g;
    };
    r.on('GET', `${base}/agent/network-get-interfaces`, (req) => ({ result: agentInterfaces(agent(req)) }));
    r.on('POST', `${base}/agent/ping`, (req) => (agent(req), { result: {} }));
    r.on('GET', `${base}/agent/get-host-name`, (req) => ({ result: { 'host-name': hostname(agent(req)) } }));
    r.on('GET', `${base}/agent/info`, (req) => {
      agent(req);
      const cmds = [
        'guest-exec',
        'guest-exec-status',
        'guest-get-fsinfo',
        'guest-get-host-name',
        'guest-get-osinfo',
        'guest-network-get-interfaces',
        'guest-ping',
        'guest-shutdown',
      ];
      return {
        result: {
          version: '7.2.19',
          supported_commands: cmds.map((name) => ({
            name,
            enabled: true,
            'success-response': name !== 'guest-shutdown',
          })),
        },
      };
    });
    r.on('GET', `${base}/agent/get-fsinfo`, (req) => {
      const g = agent(req);
      const total = req.sim.guestDisk(g);
      return {
        result: [
          {
            name: 'sda1',
            mountpoint: '/',
            type: 'ext4',
            'total-bytes': total,
            'used-bytes': Math.round(total * 0.35),
            disk: [
              {
                'bus-type': 'scsi',
                bus: 0,
                target: 0,
                unit: 0,
                dev: '/dev/sda1',
                serial: `0QEMU_QEMU_HARDDISK_drive-scsi0`,
              },
            ],
          },
        ],
      };
    });
    // guest-exec with a tiny fake shell; the command finishes at once.
    r.on('POST', `${base}/agent/exec`, (req) => {
      const g = agent(req);
      const argv = req.params.list('command');
      const pid = 1000 + (req.sim.execs.size % 30000);
      req.sim.execs.set(`${g.vmid}:${pid}`, fakeExec(g, argv, req.params.str('input-data')));
      return { pid };
    });
    r.on('GET', `${base}/agent/exec-status`, (req) => {
      const g = agent(req);
      const res = req.sim.execs.get(`${g.vmid}:${req.params.int('pid')}`);
      if (!res) throw PveError.internal(`Agent error: Invalid parameter 'pid'`);
      return {
        exited: 1,
        exitcode: res.code,
        ...(res.out ? { 'out-data': res.out } : {}),
        ...(res.err ? { 'err-data': res.err } : {}),
      };
    });
    r.on('GET', `${base}/agent/get-osinfo`, (req) => {
      const g = agent(req);
      const win = g.config.ostype?.startsWith('win');
      return {
        result: win
          ? {
              id: 'mswindows',
              name: 'Microsoft Windows',
              'pretty-name': 'Windows 11 Pro',
              version: 'Microsoft Windows 11',
              'kernel-release': '26100',
              machine: 'x86_64',
            }
          : {
              id: 'debian',
              name: 'Debian GNU/Linux',
              'pretty-name': 'Debian GNU/Linux 12 (bookworm)',
              version: '12 (bookworm)',
              'version-id': '12',
              'kernel-release': '6.1.0-41-cloud-amd64',
              machine: 'x86_64',
            },
      };
    });
  } else {
    r.on('GET', `${base}/interfaces`, ({ sim, params }) => {
      const g = sim.guest(params.node, params.vmid, type);
      if (g.status === 'stopped') throw PveError.internal(`CT ${g.vmid} not running`);
      return agentInterfaces(g).map((i) => {
        const v4 = i['ip-addresses'].find((a) => a['ip-address-type'] === 'ipv4');
        const v6 = i['ip-addresses'].find((a) => a['ip-address-type'] === 'ipv6');
        return {
          name: i.name,
          hwaddr: i['hardware-address'],
          'hardware-address': i['hardware-address'],
          ...(v4 ? { inet: `${v4['ip-address']}/${v4.prefix}` } : {}),
          ...(v6 ? { inet6: `${v6['ip-address']}/${v6.prefix}` } : {}),
          'ip-addresses': i['ip-addresses'],
        };
      });
    });
  }
}

/** Addresses a guest reports: static ipconfig/net ip, else a seeded DHCP lease on vmbr0. */
export function guestAddress(g: Guest, nic = 0): { ip: string; prefix: number } {
  const static4 = /(?:^|,)ip=(\d+\.\d+\.\d+\.\d+)\/(\d+)/.exec(
    g.type === 'qemu' ? (g.config[`ipconfig${nic}`] ?? '') : (g.config[`net${nic}`] ?? ''),
  );
  if (static4) return { ip: static4[1] as string, prefix: Number(static4[2]) };
  return { ip: `10.10.${100 + (Math.floor(g.vmid / 250) % 150)}.${(g.vmid % 250) + 2}`, prefix: 16 };
}

function agentInterfaces(g: Guest) {
  const nics = Object.keys(g.config)
    .filter((k) => /^net\d+$/.test(k))
    .sort();
  const list = [
    {
      name: 'lo',
      'hardware-address': '00:00:00:00:00:00',
      'ip-addresses': [
        { 'ip-address-type': 'ipv4', 'ip-address': '127.0.0.1', prefix: 8 },
        { 'ip-address-type': 'ipv6', 'ip-address': '::1', prefix: 128 },
      ],
      statistics: {
        'rx-bytes': 0,
        'rx-packets': 0,
        'rx-errs': 0,
        'rx-dropped': 0,
        'tx-bytes': 0,
        'tx-packets': 0,
        'tx-errs': 0,
        'tx-dropped': 0,
      },
    },
  ];
  for (const key of nics) {
    const idx = Number(key.slice(3));
    const v = g.config[key] ?? '';
    const mac =
      (g.type === 'qemu' ? /^[a-z0-9_-]+=([0-9A-F:]{17})/i.exec(v)?.[1] : /hwaddr=([0-9A-F:]{17})/i.exec(v)?.[1]) ??
      '00:00:00:00:00:00';
    const { ip, prefix } = guestAddress(g, idx);
    const b = mac
      .toLowerCase()
      .split(':')
      .map((x) => parseInt(x, 16));
    const eui = [
      ((b[0] ?? 0) ^ 2).toString(16).padStart(2, '0') + (b[1] ?? 0).toString(16).padStart(2, '0'),
      (b[2] ?? 0).toString(16).padStart(2, '0') + 'ff',
      'fe' + (b[3] ?? 0).toString(16).padStart(2, '0'),
      (b[4] ?? 0).toString(16).padStart(2, '0') + (b[5] ?? 0).toString(16).padStart(2, '0'),
    ];
    list.push({
      name:
        g.type === 'lxc'
          ? (/name=([^,]+)/.exec(v)?.[1] ?? `eth${idx}`)
          : g.config.ostype?.startsWith('win')
            ? `Ethernet ${idx === 0 ? '' : idx + 1}`.trim()
            : `eth${idx}`,
      'hardware-address': mac.toLowerCase(),
      'ip-addresses': [
        { 'ip-address-type': 'ipv4', 'ip-address': ip, prefix },
        {
          'ip-address-type': 'ipv6',
          'ip-address': `fe80::${eui.map((x) => x.replace(/^0+(?=.)/, '')).join(':')}`,
          prefix: 64,
        },
      ],
      statistics: {
        'rx-bytes': 0,
        'rx-packets': 0,
        'rx-errs': 0,
        'rx-dropped': 0,
        'tx-bytes': 0,
        'tx-packets': 0,
        'tx-errs': 0,
        'tx-dropped': 0,
      },
    });
  }
  return list;
}

function fakeExec(g: Guest, argv: string[], input?: string): { code: number; out: string; err: string } {
  const [cmd = '', ...args] = argv.length === 1 ? (argv[0] ?? '').split(/\s+/) : argv;
  switch (cmd.split('/').pop()) {
    case 'hostname':
      return { code: 0, out: `${hostname(g)}\n`, err: '' };
    case 'whoami':
      return { code: 0, out: 'root\n', err: '' };
    case 'echo':
      return { code: 0, out: `${args.join(' ')}\n`, err: '' };
    case 'true':
      return { code: 0, out: '', err: '' };
    case 'false':
      return { code: 1, out: '', err: '' };
    case 'cat':
      if (args[0] === '/etc/os-release')
        return { code: 0, out: 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n', err: '' };
      if (!args.length && input !== undefined) return { code: 0, out: input, err: '' };
      return { code: 1, out: '', err: `cat: ${args[0] ?? ''}: No such file or directory\n` };
    default:
      return { code: 127, out: '', err: `${cmd}: command not found\n` };
  }
}
