// Contract suite: the client against a Proxmox VE implementation. Runs against the simulator
// (orchestration/src/pve-sim) always; the read-only part also runs against a real cluster when
// PVE_URL, PVE_TOKEN_ID and PVE_TOKEN_SECRET (+ PVE_FINGERPRINT or PVE_CA_FILE) are set.
// Simulator deviations from the real API go to orchestration/SIM-FINDINGS.md.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPveSimulator, type PveSimulator } from '../pve-sim/index.js';
import { ProxmoxClient, type ProxmoxClientOptions } from './client.js';
import { ProxmoxError, ProxmoxParameterError, ProxmoxTaskError } from './errors.js';
import type { SentRequest } from './http.js';
import { lxcConfigView, qemuConfigView } from './config.js';
import { termFrame, termproxyLogin } from './console.js';
import { cloudInitDrive, diskAllocation, parseQemuNet, resizeArgument } from './property-strings.js';
import { ClusterRegistry, type ClusterRecord } from './registry.js';
import { apiSurface, recordCalls } from './test/api-surface.js';
import { silentLogger } from './test/fake-server.js';
import { parseUpid } from './upid.js';

interface Target {
  client: ProxmoxClient;
  make(o?: Partial<ProxmoxClientOptions>): ProxmoxClient;
  node: string;
  sim?: PveSimulator;
  /** Names of the typed calls made so far (recorded on every client the target makes). */
  called: Set<string>;
  close(): Promise<void>;
}

type MakeTarget = () => Promise<Target>;

const fast = {
  taskClock: { now: Date.now, sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, Math.min(ms, 20))) },
};

function defineClientContract(name: string, kind: 'sim' | 'real', makeTarget: MakeTarget) {
  const sim = kind === 'sim';
  describe(`Proxmox client contract: ${name}`, () => {
    let t: Target;
    beforeAll(async () => {
      t = await makeTarget();
    });
    afterAll(async () => {
      await t?.close();
    });

    describe('reads', () => {
      it('version, nodes, node status', async () => {
        const v = await t.client.version();
        expect(v.version).toMatch(/^\d+\.\d+/);
        const nodes = await t.client.cluster.nodes();
        expect(nodes.find((n) => n.node === t.node)?.status).toBe('online');
        const st = await t.client.cluster.nodeStatus(t.node);
        expect(st.memory.total).toBeGreaterThan(0);
        expect(st.cpuinfo.cpus).toBeGreaterThan(0);
        expect(st.pveversion).toMatch(/pve-manager/);
      });

      it('cluster resources with a type filter, numeric vmids', async () => {
        const vms = await t.client.cluster.resources('vm');
        expect(vms.length).toBeGreaterThan(0);
        for (const r of vms) {
          expect(['qemu', 'lxc']).toContain(r.type);
          expect(typeof r.vmid).toBe('number');
          expect(r.id).toBe(`${r.type}/${r.vmid}`);
        }
        const storages = await t.client.cluster.resources('storage');
        expect(storages.every((r) => r.type === 'storage')).toBe(true);
        const nodes = await t.client.cluster.resources('node');
        expect(nodes.every((r) => r.type === 'node')).toBe(true);
      });

      it('nextid is a number and isVmidFree knows taken ids', async () => {
        const id = await t.client.cluster.nextId();
        expect(Number.isInteger(id)).toBe(true);
        expect(await t.client.cluster.isVmidFree(id)).toBe(true);
        const [taken] = await t.client.cluster.resources('vm');
        expect(await t.client.cluster.isVmidFree(taken!.vmid!)).toBe(false);
      });

      it('guest lists, node RRD, cluster tasks, storage, ceph, PCI', async () => {
        const qemu = await t.client.qemu.list(t.node);
        expect(qemu.every((g) => typeof g.vmid === 'number')).toBe(true);
        await t.client.lxc.list(t.node);
        const rrd = await t.client.cluster.nodeRrddata(t.node, 'hour');
        expect(rrd.length).toBeGreaterThan(0);
        expect(typeof rrd[0]!.time).toBe('number');
        if ((await t.client.version()).version.startsWith('9')) {
          // README §7: decade = 604800 s steps (570 rows in the RRA)
          const decade = await t.client.cluster.nodeRrddata(t.node, 'decade');
          expect(decade.length).toBeGreaterThan(100);
          expect(decade[1]!.time - decade[0]!.time).toBe(604800);
        }
        const [guest] = (await t.client.cluster.resources('vm')).filter((r) => r.type === 'qemu');
        if (guest) {
          // one point per step over the whole timeframe, also for stopped guests (README §7)
          const points = await t.client.qemu.rrddata(guest.node!, guest.vmid!, 'hour');
          expect(points.length).toBeGreaterThanOrEqual(60);
          expect(points.every((p) => typeof p.time === 'number')).toBe(true);
        }
        expect(Array.isArray(await t.client.tasks.listCluster())).toBe(true);
        const cs = await t.client.cluster.status();
        expect(cs.filter((x) => x.type === 'node').map((x) => x.name)).toContain(t.node);
        const storages = await t.client.storage.list(t.node);
        expect(storages.length).toBeGreaterThan(0);
        expect(await t.client.storage.listConfig()).not.toHaveLength(0);
        const withImages = storages.find((s) => s.content.includes('images'))!;
        await t.client.storage.content(t.node, withImages.storage, { content: 'images' });
        const pci = await t.client.hardware.pciDevices(t.node);
        expect(pci.every((d) => typeof d.iommugroup === 'number')).toBe(true);
        await t.client.pciMappings.list();
        await t.client.pools.list();
        await t.client.sdn.zones();
        await t.client.sdn.vnets();
        await t.client.access.acl();
      });

      it.runIf(sim)('ceph status, OSDs and pools', async () => {
        const status = await t.client.ceph.status();
        expect(status).toHaveProperty('health');
        expect(await t.client.ceph.status(t.node)).toHaveProperty('health');
        const osds = await t.client.ceph.osds(t.node);
        expect(osds.root).toBeDefined();
        const pools = await t.client.ceph.pools(t.node);
        expect(pools.length).toBeGreaterThan(0);
        expect(pools[0]).toHaveProperty('pool_name');
      });

      it.runIf(sim)('PCI GPUs, mdev types and the seeded mapping', async () => {
        const gpuNode = 'pve3';
        const gpus = (await t.client.hardware.pciDevices(gpuNode)).filter((d) => d.vendor === '0x10de');
        expect(gpus.length).toBeGreaterThan(0);
        expect(gpus[0]!.mdev).toBe(true);
        const types = await t.client.hardware.mdevTypes(gpuNode, gpus[0]!.id);
        expect(types[0]).toMatchObject({ type: expect.stringMatching(/^nvidia-/), available: expect.any(Number) });
        const mappings = await t.client.pciMappings.list();
        const l4 = mappings.find((m) => m.id === 'gpu-l4')!;
        expect(l4.map[0]).toMatchObject({ node: gpuNode, id: '10de:27b8' });
        expect(l4.mdev).toBe(true);
      });

      it('effective permissions of the token', async () => {
        const perms = await t.client.permissions({ path: '/vms' });
        expect(perms['/vms']).toBeTypeOf('object');
      });
    });

    describe.runIf(sim)('QEMU lifecycle', () => {
      let vmid: number;
      const node = () => t.node;

      it('clones the template with task waiting and log streaming (each line once)', async () => {
        vmid = await t.client.cluster.nextId();
        const lines: { n: number; text: string }[] = [];
        const upid = await t.client.qemu.clone(node(), 9000, {
          newid: vmid,
          name: 'contract-vm',
          full: false,
          pool: 'templates',
        });
        expect(parseUpid(upid)).toMatchObject({ node: node(), type: 'qmclone', id: '9000' });
        const res = await t.client.waitForTask(upid, {
          onLog: (text, n) => lines.push({ n, text }),
          timeoutMs: 30_000,
        });
        expect(res.exitstatus).toBe('OK');
        expect(lines.length).toBeGreaterThan(1);
        expect(new Set(lines.map((l) => l.n)).size).toBe(lines.length);
        expect(lines.map((l) => l.n)).toEqual([...lines.map((l) => l.n)].sort((a, b) => a - b));
        expect(lines.at(-1)!.text).toBe('TASK OK');
      });

      it('config: sync PUT and async POST; digest conflicts map to an error', async () => {
        const cfg = await t.client.qemu.getConfig(node(), vmid);
        expect(cfg.name).toBe('contract-vm');
        expect(cfg.digest).toBeTypeOf('string');
        await t.client.qemu.setConfig(
          node(),
          vmid,
          {
            memory: 3072,
            cores: 2,
            net: { 1: { model: 'virtio', bridge: 'vmbr0', tag: 42, firewall: true } },
            ipconfig: { 0: { ip: '10.0.0.50/24', gw: '10.0.0.1' } },
            sshkeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMx+/y= test@contract'],
            tags: ['contract', 'tenant-a'],
          },
          { digest: cfg.digest },
        );
        const after = await t.client.qemu.getConfig(node(), vmid);
        expect(String(after.memory)).toBe('3072');
        expect(parseQemuNet(String(after.net1))).toMatchObject({
          model: 'virtio',
          bridge: 'vmbr0',
          tag: 42,
          firewall: true,
        });
        expect(decodeURIComponent(String(after.sshkeys))).toContain('test@contract');
        const view = qemuConfigView(after);
        expect(view).toMatchObject({ name: 'contract-vm', memory: 3072, cores: 2, tags: ['contract', 'tenant-a'] });
        expect(view.sshkeys).toEqual(['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMx+/y= test@contract']);
        expect(view.ipconfig[0]).toMatchObject({ ip: '10.0.0.50/24', gw: '10.0.0.1' });
        expect(view.disks.scsi0?.size).toBeGreaterThan(0);
        expect(view.nets[0]?.macaddr).toMatch(/^[0-9A-F]{2}(:[0-9A-F]{2}){5}$/);
        await expect(
          t.client.qemu.setConfig(node(), vmid, { cores: 1 }, { digest: cfg.digest }),
        ).rejects.toBeInstanceOf(ProxmoxError);
        const upid = await t.client.qemu.setConfigAsync(node(), vmid, {
          scsi: { 1: { file: diskAllocation('local-lvm', '4G') } },
        });
        if (upid) await t.client.waitForTask(upid);
        const withDisk = await t.client.qemu.getConfig(node(), vmid);
        expect(String(withDisk.scsi1)).toMatch(/^local-lvm:vm-\d+-disk-\d+/);
        await t.client.qemu.setConfig(node(), vmid, { ide: { 3: cloudInitDrive('local-lvm') } }).catch(() => undefined);
        await t.client.qemu.setConfig(node(), vmid, {}, { delete: ['net1'] });
        expect((await t.client.qemu.getConfig(node(), vmid)).net1).toBeUndefined();
      });

      it('resize grows a disk', async () => {
        const upid = await t.client.qemu.resize(node(), vmid, 'scsi1', resizeArgument(2 * 1024 ** 3, 'grow'));
        if (upid) await t.client.waitForTask(upid);
        expect(String((await t.client.qemu.getConfig(node(), vmid)).scsi1)).toContain('size=6G');
      });

      it('power: start, status, agent, consoles, RRD, suspend/resume, reboot, shutdown, stop', async () => {
        await t.client.waitForTask(await t.client.qemu.start(node(), vmid));
        expect((await t.client.qemu.status(node(), vmid)).status).toBe('running');
        // starting a running VM: the POST succeeds, the task fails (README §3)
        await expect(t.client.waitForTask(await t.client.qemu.start(node(), vmid))).rejects.toMatchObject({
          code: 'TASK_FAILED',
          message: expect.stringMatching(/already running/),
        });
        const vnc = await t.client.qemu.vncproxy(node(), vmid);
        expect(vnc.port).toBeTypeOf('number');
        expect(vnc.vncPassword).toBe(vnc.password ?? vnc.ticket);
        expect(t.client.qemu.vncWebsocketPath(node(), vmid, vnc.port, vnc.ticket)).toContain('vncticket=');
        const term = await t.client.qemu.termproxy(node(), vmid);
        expect(term.port).toBeTypeOf('number');
        expect(term.user).toBe(t.client.authId);
        // Real PVE answers one point per step (time-only points while there was no data) once
        // pvestatd has written the guest's RRD; see SIM-FINDINGS.md for the simulator's [].
        // consoles through the client: RFB banner over the VNC websocket, termproxy login + input
        const vncSocket = await t.client.openConsole('qemu', node(), vmid, await t.client.qemu.vncproxy(node(), vmid));
        const banner = await new Promise<Buffer>((r) => vncSocket.once('message', (d: Buffer) => r(d)));
        expect(banner.toString()).toMatch(/^RFB 003\.00\d\n/);
        vncSocket.close();
        // a console ticket is single-use and bound to its port: a forged one is refused at the upgrade
        await expect(
          t.client.openConsole('qemu', node(), vmid, { port: vnc.port, ticket: 'PVEVNC:00000000::forged' }),
        ).rejects.toBeInstanceOf(ProxmoxError);
        const tp = await t.client.qemu.termproxy(node(), vmid);
        const termSocket = await t.client.openConsole('qemu', node(), vmid, tp);
        await termproxyLogin(termSocket, tp.user, tp.ticket);
        const output: Buffer[] = [];
        termSocket.on('message', (d: Buffer) => output.push(d));
        termSocket.send(termFrame.resize(120, 40));
        termSocket.send(termFrame.input('echo contract\r'));
        for (let i = 0; i < 100 && !Buffer.concat(output).toString().includes('contract'); i++)
          await new Promise((r) => setTimeout(r, 20));
        expect(Buffer.concat(output).toString()).toContain('contract');
        termSocket.close();
        const rrd = await t.client.qemu.rrddata(node(), vmid, 'hour');
        expect(rrd.every((p) => typeof p.time === 'number')).toBe(true);
        // the agent answers once the guest has booted
        let ifaces: Awaited<ReturnType<typeof t.client.qemu.agentNetworkInterfaces>> = [];
        for (let i = 0; i < 100 && ifaces.length === 0; i++) {
          ifaces = await t.client.qemu.agentNetworkInterfaces(node(), vmid).catch(() => []);
          if (!ifaces.length) await new Promise((r) => setTimeout(r, 50));
        }
        expect(ifaces.some((i) => i['ip-addresses']?.length)).toBe(true);
        // a CPU-count change on a running VM without cpu hotplug stays pending until a reboot
        await t.client.qemu.setConfig(node(), vmid, { cores: 4 });
        const pending = await t.client.qemu.pending(node(), vmid);
        expect(pending.find((p) => p.key === 'cores')).toBeDefined();
        await t.client.waitForTask(await t.client.qemu.suspend(node(), vmid));
        expect((await t.client.qemu.status(node(), vmid)).qmpstatus).toBe('paused');
        await t.client.waitForTask(await t.client.qemu.resume(node(), vmid));
        await t.client.waitForTask(await t.client.qemu.reboot(node(), vmid));
        await t.client.waitForTask(await t.client.qemu.shutdown(node(), vmid, { timeout: 30, forceStop: true }));
        expect((await t.client.qemu.status(node(), vmid)).status).toBe('stopped');
        await t.client.waitForTask(await t.client.qemu.start(node(), vmid));
        await t.client.waitForTask(await t.client.qemu.stop(node(), vmid));
        // reboot of a stopped VM dies before forking (500, not a task)
        await expect(t.client.qemu.reboot(node(), vmid)).rejects.toMatchObject({ code: 'UNAVAILABLE', status: 500 });
      });

      it('snapshots: create, list, rollback, delete', async () => {
        await t.client.waitForTask(
          await t.client.qemu.createSnapshot(node(), vmid, 'before', { description: 'contract' }),
        );
        const snaps = await t.client.qemu.listSnapshots(node(), vmid);
        expect(snaps.map((s) => s.name)).toEqual(expect.arrayContaining(['before', 'current']));
        await t.client.waitForTask(await t.client.qemu.rollbackSnapshot(node(), vmid, 'before'));
        await t.client.waitForTask(await t.client.qemu.deleteSnapshot(node(), vmid, 'before'));
        expect((await t.client.qemu.listSnapshots(node(), vmid)).map((s) => s.name)).not.toContain('before');
      });

      it('guest firewall rules and options', async () => {
        await t.client.qemu.firewall.createRule(node(), vmid, {
          type: 'in',
          action: 'ACCEPT',
          proto: 'tcp',
          dport: '22',
          enable: true,
          comment: 'ssh',
        });
        await t.client.qemu.firewall.createRule(node(), vmid, {
          type: 'in',
          action: 'ACCEPT',
          macro: 'HTTP',
          enable: true,
        });
        let rules = await t.client.qemu.firewall.listRules(node(), vmid);
        expect(rules.map((r) => r.pos)).toEqual([0, 1]);
        expect(rules[1]).toMatchObject({ dport: '22', comment: 'ssh' });
        await t.client.qemu.firewall.updateRule(node(), vmid, 1, { moveto: 0 });
        expect((await t.client.qemu.firewall.getRule(node(), vmid, 0)).comment).toBe('ssh');
        await t.client.qemu.firewall.deleteRule(node(), vmid, 0);
        rules = await t.client.qemu.firewall.listRules(node(), vmid);
        expect(rules).toHaveLength(1);
        await t.client.qemu.firewall.setOptions(node(), vmid, { enable: true, policy_in: 'DROP' });
        expect(await t.client.qemu.firewall.getOptions(node(), vmid)).toMatchObject({
          enable: true,
          policy_in: 'DROP',
        });
      });

      it('migrate precheck and offline migration', async () => {
        const pre = await t.client.qemu.migratePrecheck(node(), vmid, 'pve2');
        expect(pre).toHaveProperty('running');
        await t.client.waitForTask(
          await t.client.qemu.migrate(node(), vmid, { target: 'pve2', withLocalDisks: true }),
          { timeoutMs: 60_000 },
        );
        expect(await t.client.cluster.findGuest(vmid)).toMatchObject({ node: 'pve2', type: 'qemu', vmid });
        await expect(t.client.qemu.getConfig(node(), vmid)).rejects.toMatchObject({ code: 'NOT_FOUND' });
        await t.client.waitForTask(
          await t.client.qemu.migrate('pve2', vmid, { target: node(), withLocalDisks: true }),
          { timeoutMs: 60_000 },
        );
      });

      it('destroy with purge; afterwards the VM is NOT_FOUND', async () => {
        await t.client.waitForTask(
          await t.client.qemu.destroy(node(), vmid, { purge: true, destroyUnreferencedDisks: true }),
        );
        await expect(t.client.qemu.getConfig(node(), vmid)).rejects.toMatchObject({ code: 'NOT_FOUND' });
        await expect(t.client.qemu.status(node(), vmid)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      });
    });

    describe.runIf(sim)('LXC lifecycle', () => {
      let vmid: number;
      it('create from a template, start, interfaces, console, config, stop, destroy', async () => {
        vmid = await t.client.cluster.nextId();
        const tmpl = (await t.client.storage.content(t.node, 'local', { content: 'vztmpl' }))[0]!;
        await t.client.waitForTask(
          await t.client.lxc.create(t.node, {
            vmid,
            ostemplate: tmpl.volid,
            hostname: 'contract-ct',
            memory: 512,
            rootfs: { volume: diskAllocation('local-lvm', '4G') },
            net: { 0: { name: 'eth0', bridge: 'vmbr0', ip: 'dhcp', firewall: true } },
            unprivileged: true,
            password: 'contract-pw',
            sshPublicKeys: ['ssh-ed25519 AAAA test@contract'],
          }),
          { timeoutMs: 60_000 },
        );
        const cfg = await t.client.lxc.getConfig(t.node, vmid);
        expect(cfg.hostname).toBe('contract-ct');
        expect(String(cfg.rootfs)).toMatch(/^local-lvm:.*size=4G/);
        const view = lxcConfigView(cfg);
        expect(view).toMatchObject({ hostname: 'contract-ct', unprivileged: true, rootfs: { size: 4 * 1024 ** 3 } });
        expect(view.nets[0]).toMatchObject({ name: 'eth0', bridge: 'vmbr0', ip: 'dhcp', firewall: true });
        expect(view.nets[0]?.hwaddr).toMatch(/^[0-9A-F]{2}(:[0-9A-F]{2}){5}$/);
        await t.client.lxc.setConfig(t.node, vmid, { memory: 1024 });
        expect(String((await t.client.lxc.pending(t.node, vmid)).find((p) => p.key === 'memory')?.value)).toBe('1024');
        expect(String((await t.client.lxc.getConfig(t.node, vmid)).memory)).toBe('1024');
        await t.client.waitForTask(await t.client.lxc.start(t.node, vmid));
        expect((await t.client.lxc.status(t.node, vmid)).status).toBe('running');
        let ifaces = await t.client.lxc.interfaces(t.node, vmid);
        for (let i = 0; i < 50 && !ifaces.some((x) => x.name === 'eth0'); i++) {
          await new Promise((r) => setTimeout(r, 50));
          ifaces = await t.client.lxc.interfaces(t.node, vmid);
        }
        expect(ifaces.some((x) => x.name === 'eth0')).toBe(true);
        const term = await t.client.lxc.termproxy(t.node, vmid);
        expect(term.port).toBeTypeOf('number');
        const vnc = await t.client.lxc.vncproxy(t.node, vmid, { width: 800, height: 600 });
        expect(vnc.vncPassword).toBeTruthy();
        const points = await t.client.lxc.rrddata(t.node, vmid, 'hour', 'MAX');
        expect(points.every((p) => typeof p.time === 'number')).toBe(true);
        await t.client.waitForTask(await t.client.lxc.createSnapshot(t.node, vmid, 'snap1'));
        expect((await t.client.lxc.listSnapshots(t.node, vmid)).map((s) => s.name)).toContain('snap1');
        await t.client.waitForTask(await t.client.lxc.shutdown(t.node, vmid, { timeout: 10, forceStop: true }));
        await t.client.waitForTask(await t.client.lxc.rollbackSnapshot(t.node, vmid, 'snap1'));
        await t.client.waitForTask(await t.client.lxc.deleteSnapshot(t.node, vmid, 'snap1'));
        const r = await t.client.lxc.resize(t.node, vmid, 'rootfs', '+1G');
        if (r) await t.client.waitForTask(r);
        expect(String((await t.client.lxc.getConfig(t.node, vmid)).rootfs)).toContain('size=5G');
        // a full clone of the stopped container (hostname instead of name)
        const copy = await t.client.cluster.nextId();
        await t.client.waitForTask(
          await t.client.lxc.clone(t.node, vmid, {
            newid: copy,
            name: 'contract-ct-copy',
            full: true,
            storage: 'local-lvm',
          }),
          {
            timeoutMs: 60_000,
          },
        );
        expect((await t.client.lxc.getConfig(t.node, copy)).hostname).toBe('contract-ct-copy');
        await t.client.waitForTask(await t.client.lxc.destroy(t.node, copy, { purge: true }));
        await t.client.waitForTask(await t.client.lxc.destroy(t.node, vmid, { purge: true }));
        await expect(t.client.lxc.status(t.node, vmid)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      });
    });

    describe.runIf(sim)('pools, SDN, PCI mappings, access', () => {
      it('datacenter firewall options: read, turn off and on again', async () => {
        const before = await t.client.firewall.getOptions();
        expect(before.enable).toBe(true);
        await t.client.firewall.setOptions({ enable: false });
        expect((await t.client.firewall.getOptions()).enable).toBe(false);
        await t.client.firewall.setOptions({ enable: true, policy_in: before.policy_in });
        expect(await t.client.firewall.getOptions()).toMatchObject({ enable: true, policy_in: before.policy_in });
      });

      it('pools: create, add a guest, read members, remove, delete', async () => {
        await t.client.pools.create('contract', 'contract suite');
        await t.client.pools.update('contract', { vms: [9001], allowMove: true });
        const pool = await t.client.pools.get('contract');
        expect(pool?.members?.map((m) => m.vmid ?? m.id)).toEqual(expect.arrayContaining([expect.anything()]));
        await t.client.pools.update('contract', { vms: [9001], remove: true });
        await t.client.pools.delete('contract');
        expect((await t.client.pools.list()).map((p) => p.poolid)).not.toContain('contract');
      });

      it('SDN: zone, vnet and subnet are pending until apply (a task)', async () => {
        await t.client.sdn.createZone({ zone: 'ctest', type: 'simple' });
        await t.client.sdn.createVnet({ vnet: 'ctvnet', zone: 'ctest', alias: 'contract' });
        await t.client.sdn.createSubnet('ctvnet', {
          subnet: '10.77.0.0/24',
          gateway: '10.77.0.1',
          snat: true,
          dhcpRange: [{ start: '10.77.0.100', end: '10.77.0.200' }],
        });
        const pending = (await t.client.sdn.vnets({ pending: true })).find((v) => v.vnet === 'ctvnet');
        expect(pending).toBeDefined();
        const upid = await t.client.sdn.apply();
        await t.client.waitForTask(upid);
        const subnets = await t.client.sdn.subnets('ctvnet');
        expect(subnets.map((s) => s.subnet)).toContain('ctest-10.77.0.0-24');
        await t.client.sdn.deleteSubnet('ctvnet', 'ctest-10.77.0.0-24');
        await t.client.sdn.deleteVnet('ctvnet');
        await t.client.sdn.deleteZone('ctest');
        await t.client.waitForTask(await t.client.sdn.apply());
        expect((await t.client.sdn.vnets()).map((v) => v.vnet)).not.toContain('ctvnet');
      });

      it('PCI mapping: create, read, update, delete', async () => {
        await t.client.pciMappings.create({
          id: 'contract-gpu',
          description: 'x',
          map: [{ node: 'pve3', path: '0000:41:00.0', id: '10de:27b8' }],
        });
        const m = await t.client.pciMappings.get('contract-gpu');
        expect(m.map[0]).toMatchObject({ node: 'pve3', path: '0000:41:00.0', id: '10de:27b8' });
        await t.client.pciMappings.update('contract-gpu', { description: 'y', mdev: true });
        expect(await t.client.pciMappings.get('contract-gpu')).toMatchObject({ description: 'y', mdev: true });
        await t.client.pciMappings.delete('contract-gpu');
        await expect(t.client.pciMappings.get('contract-gpu')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      });

      it('users, tokens and ACLs', async () => {
        await t.client.access.createUser({ userid: 'contract@pve', password: 'contract-password', comment: 'c' });
        const token = await t.client.access.createToken('contract@pve', 'ci', { privsep: true, comment: 'ci' });
        expect(token['full-tokenid']).toBe('contract@pve!ci');
        expect(token.value).toMatch(/^[0-9a-f-]{36}$/);
        expect((await t.client.access.tokens('contract@pve')).map((x) => x.tokenid)).toContain('ci');
        await t.client.access.updateAcl({ path: '/vms', roles: ['PVEAuditor'], tokens: ['contract@pve!ci'] });
        expect(await t.client.access.acl()).toEqual(
          expect.arrayContaining([
            expect.objectContaining({ path: '/vms', ugid: 'contract@pve!ci', roleid: 'PVEAuditor' }),
          ]),
        );
        expect((await t.client.access.roles()).map((r) => r.roleid)).toContain('PVEAdmin');
        expect((await t.client.access.users()).map((u) => u.userid)).toContain('contract@pve');
        await t.client.access.deleteToken('contract@pve', 'ci');
        await t.client.access.deleteUser('contract@pve');
      });
    });

    describe.runIf(sim)('remaining calls', () => {
      it('tasks: node list with filters, log pages, stop a running task', async () => {
        t.sim!.control.stallTasks('qmsnapshot');
        const upid = await t.client.qemu.createSnapshot(t.node, 9002, 'to-stop');
        try {
          const running = await t.client.tasks.listNode(t.node, { source: 'active', typefilter: 'qmsnapshot' });
          expect(running.map((x) => x.upid)).toContain(upid);
          await t.client.tasks.stop(upid);
          const err = await t.client.waitForTask(upid).catch((e: unknown) => e);
          expect(err).toBeInstanceOf(ProxmoxTaskError);
          const { lines } = await t.client.tasks.log(upid, 0, 500);
          expect(lines.at(-1)?.t).toMatch(/^TASK ERROR: /);
          const done = await t.client.tasks.listNode(t.node, { vmid: 9002, errors: true, limit: 10 });
          expect(done.find((x) => x.upid === upid)?.status).not.toBe('OK');
        } finally {
          t.sim!.control.releaseTasks();
        }
        const snaps = await t.client.qemu.listSnapshots(t.node, 9002);
        if (snaps.some((x) => x.name === 'to-stop')) {
          await t.client.waitForTask(await t.client.qemu.deleteSnapshot(t.node, 9002, 'to-stop', { force: true }));
        }
      });

      it('an empty task log is the "no content" placeholder; the client shows no lines', async () => {
        t.sim!.control.stallTasks('qmsnapshot');
        try {
          const upid = await t.client.qemu.createSnapshot(t.node, 9002, 'empty-log');
          expect((await t.client.tasks.log(upid)).lines).toEqual([]);
          expect(await t.client.http.get(`/nodes/${t.node}/tasks/${upid}/log`, { start: 0 })).toEqual([
            { n: 1, t: 'no content' },
          ]);
          t.sim!.control.releaseTasks('qmsnapshot');
          await t.client.waitForTask(upid);
          await t.client.waitForTask(await t.client.qemu.deleteSnapshot(t.node, 9002, 'empty-log'));
        } finally {
          t.sim!.control.releaseTasks();
        }
      });

      it('runRetryingLocks restarts a task that died on a lock timeout', async () => {
        t.sim!.control.failNextTask(
          'qmsnapshot',
          "can't lock file '/var/lock/qemu-server/lock-9001.conf' - got timeout",
        );
        let starts = 0;
        const res = await t.client.tasks.runRetryingLocks(
          () => (starts++, t.client.qemu.createSnapshot(t.node, 9001, 'relock')),
        );
        expect(res.exitstatus).toBe('OK');
        expect(starts).toBe(2);
        await t.client.waitForTask(await t.client.qemu.deleteSnapshot(t.node, 9001, 'relock'));
      });

      it('qemu: reset, template conversion; linked clones refuse storage', async () => {
        const vmid = await t.client.cluster.nextId();
        await t.client.waitForTask(await t.client.qemu.clone(t.node, 9000, { newid: vmid, name: 'reset-vm' }));
        await t.client.waitForTask(await t.client.qemu.start(t.node, vmid));
        await t.client.waitForTask(await t.client.qemu.reset(t.node, vmid));
        await t.client.waitForTask(await t.client.qemu.stop(t.node, vmid));
        await t.client.waitForTask(await t.client.qemu.convertToTemplate(t.node, vmid));
        expect((await t.client.qemu.status(t.node, vmid)).template).toBe(true);
        const other = await t.client.cluster.nextId();
        // the client refuses it locally; Proxmox itself dies with a 500 (qemu-server clone_vm)
        await expect(
          t.client.qemu.clone(t.node, vmid, { newid: other, full: false, storage: 'local-lvm' }),
        ).rejects.toMatchObject({
          code: 'PARAMETER',
        });
        await expect(
          t.client.http.post(`/nodes/${t.node}/qemu/${vmid}/clone`, { newid: other, storage: 'local-lvm' }),
        ).rejects.toMatchObject({
          code: 'UNAVAILABLE',
          status: 500,
          message: expect.stringMatching(/not allowed for linked clones/),
        });
        await t.client.waitForTask(await t.client.qemu.destroy(t.node, vmid, { purge: true }));
      });

      it('lxc: reboot, suspend/resume, migrate (restart), precheck, firewall, template', async () => {
        const vmid = await t.client.cluster.nextId();
        const tmpl = (await t.client.storage.content(t.node, 'local', { content: 'vztmpl' }))[0]!;
        await t.client.waitForTask(
          await t.client.lxc.create(t.node, {
            vmid,
            ostemplate: tmpl.volid,
            hostname: 'ct-more',
            rootfs: { volume: diskAllocation('ceph-vm', '2G') },
            net: { 0: { name: 'eth0', bridge: 'vmbr0', ip: '10.20.0.5/24', gw: '10.20.0.1' } },
            start: true,
          }),
        );
        expect((await t.client.lxc.status(t.node, vmid)).status).toBe('running');
        await t.client.waitForTask(await t.client.lxc.reboot(t.node, vmid));
        await t.client.waitForTask(await t.client.lxc.suspend(t.node, vmid));
        await t.client.waitForTask(await t.client.lxc.resume(t.node, vmid));
        expect(await t.client.lxc.migratePrecheck(t.node, vmid, 'pve2')).toHaveProperty('running');
        await t.client.waitForTask(
          await t.client.lxc.migrate(t.node, vmid, { target: 'pve2', restart: true, timeout: 30 }),
          {
            timeoutMs: 60_000,
          },
        );
        expect((await t.client.lxc.status('pve2', vmid)).status).toBe('running');
        await t.client.lxc.firewall.createRule('pve2', vmid, {
          type: 'out',
          action: 'DROP',
          dest: '10.0.0.0/8',
          enable: true,
        });
        expect(await t.client.lxc.firewall.listRules('pve2', vmid)).toHaveLength(1);
        await t.client.lxc.firewall.updateRule('pve2', vmid, 0, { action: 'REJECT' });
        expect((await t.client.lxc.firewall.getRule('pve2', vmid, 0)).action).toBe('REJECT');
        await t.client.lxc.firewall.deleteRule('pve2', vmid, 0);
        await t.client.lxc.firewall.setOptions('pve2', vmid, { enable: true });
        expect((await t.client.lxc.firewall.getOptions('pve2', vmid)).enable).toBe(true);
        await t.client.waitForTask(await t.client.lxc.stop('pve2', vmid));
        await t.client.lxc.convertToTemplate('pve2', vmid);
        expect((await t.client.lxc.status('pve2', vmid)).template).toBe(true);
        await t.client.waitForTask(await t.client.lxc.destroy('pve2', vmid, { purge: true }));
      });

      it('SDN vnet update and pools through the legacy-free API', async () => {
        await t.client.sdn.createVnet({ vnet: 'ctupd', zone: 'paas', tag: 10077 });
        await t.client.sdn.updateVnet('ctupd', { alias: 'updated' });
        expect((await t.client.sdn.vnets({ pending: true })).find((v) => v.vnet === 'ctupd')).toBeDefined();
        await t.client.sdn.deleteVnet('ctupd');
        await t.client.waitForTask(await t.client.sdn.apply());
        expect((await t.client.sdn.vnets()).map((v) => v.vnet)).not.toContain('ctupd');
      });
    });

    describe.runIf(sim)('GPU passthrough (PCI mapping + NVIDIA vGPU)', () => {
      it('NVIDIA vGPU types report available: 1 (creatable types only)', async () => {
        const types = await t.client.hardware.mdevTypes('pve3', 'gpu-l4');
        expect(types.length).toBeGreaterThan(0);
        for (const ty of types) expect(ty).toMatchObject({ type: expect.stringMatching(/^nvidia-\d+$/), available: 1 });
      });

      it('a VM with a mapped vGPU: start, migration precheck lists the mapped device, running migration refused', async () => {
        const vmid = await t.client.cluster.nextId();
        await t.client.waitForTask(
          await t.client.qemu.create('pve3', {
            vmid,
            name: 'gpu-vm',
            memory: 4096,
            machine: 'q35',
            scsi: { 0: { file: diskAllocation('local-lvm', '8G') } },
            hostpci: { 0: { mapping: 'gpu-l4', mdev: 'nvidia-922', pcie: true } },
            net: { 0: { model: 'virtio', bridge: 'vmbr0' } },
          }),
        );
        await t.client.waitForTask(await t.client.qemu.start('pve3', vmid));
        const pre = await t.client.qemu.migratePrecheck('pve3', vmid, 'pve1');
        expect(pre['mapped-resources']).toEqual(['hostpci0']);
        expect(pre['mapped-resource-info']).toMatchObject({ hostpci0: { name: 'gpu-l4' } });
        expect(
          (pre.not_allowed_nodes as Record<string, Record<string, unknown>>).pve1?.['unavailable-resources'],
        ).toEqual(['hostpci0']);
        await expect(t.client.qemu.migrate('pve3', vmid, { target: 'pve1', online: true })).rejects.toMatchObject({
          status: 500,
          message: expect.stringMatching(/hostpci0/),
        });
        await t.client.waitForTask(await t.client.qemu.stop('pve3', vmid));
        await t.client.waitForTask(await t.client.qemu.destroy('pve3', vmid, { purge: true }));
      });
    });

    describe.runIf(sim)('PCI passthrough of a whole device', () => {
      it('a device passed through to a running VM cannot be started in a second one (task fails)', async () => {
        const ids = [await t.client.cluster.nextId()];
        ids.push(ids[0]! + 1);
        for (const vmid of ids) {
          await t.client.waitForTask(
            await t.client.qemu.create('pve3', {
              vmid,
              memory: 2048,
              machine: 'q35',
              hostpci: { 0: { host: '0000:c1:00.0', pcie: true } },
            }),
          );
        }
        await t.client.waitForTask(await t.client.qemu.start('pve3', ids[0]!));
        const err = await t.client.waitForTask(await t.client.qemu.start('pve3', ids[1]!)).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(ProxmoxTaskError);
        expect((err as ProxmoxTaskError).exitStatus).toMatch(/PCI device '0000:c1:00.0' already in use by VMID/);
        await t.client.waitForTask(await t.client.qemu.stop('pve3', ids[0]!));
        for (const vmid of ids) await t.client.waitForTask(await t.client.qemu.destroy('pve3', vmid, { purge: true }));
      });
    });

    describe.runIf(sim)('error mapping', () => {
      it('missing guest → NOT_FOUND (500 "does not exist")', async () => {
        await expect(t.client.qemu.getConfig(t.node, 987654)).rejects.toMatchObject({ code: 'NOT_FOUND', status: 500 });
      });
      it('parameter errors keep the per-field map', async () => {
        const err = await t.client.qemu.clone(t.node, 9000, { newid: 5 }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(ProxmoxParameterError);
        expect((err as ProxmoxParameterError).errors).toHaveProperty('newid');
      });
      it('unknown endpoint → NOT_IMPLEMENTED', async () => {
        await expect(t.client.http.get('/nodes/pve1/no-such-thing')).rejects.toMatchObject({ code: 'NOT_IMPLEMENTED' });
      });
      it('bad token → AUTH; audit-only token writing → PERMISSION', async () => {
        const bad = t.make({
          auth: { type: 'token', tokenId: 'root@pam!sim-full', secret: '00000000-0000-0000-0000-000000000000' },
        });
        await expect(bad.version()).rejects.toMatchObject({ code: 'AUTH', status: 401 });
        bad.close();
        const lim = t.sim!.credentials.tokens.limited;
        const limited = t.make({ auth: { type: 'token', tokenId: lim.tokenid, secret: lim.secret } });
        await expect(limited.qemu.start(t.node, 9000)).rejects.toMatchObject({ code: 'PERMISSION', status: 403 });
        limited.close();
      });
      it('a failing task → TASK_FAILED with the exit text', async () => {
        t.sim!.control.failNextTask('qmclone', 'storage full (injected)');
        const newid = await t.client.cluster.nextId();
        const err = await t.client
          .waitForTask(await t.client.qemu.clone(t.node, 9000, { newid }))
          .catch((e: unknown) => e);
        expect(err).toBeInstanceOf(ProxmoxTaskError);
        expect((err as ProxmoxTaskError).exitStatus).toContain('storage full (injected)');
        // a failed clone removes the half-created VM again, so the id is free (qemu-server clone_vm)
        expect(await t.client.cluster.isVmidFree(newid)).toBe(true);
      });
      it('a console for a stopped VM: vncproxy answers, the failure is in its task', async () => {
        const vnc = await t.client.qemu.vncproxy(t.node, 9001);
        expect(vnc.port).toBeTypeOf('number');
        const socket = await t.client.openConsole('qemu', t.node, 9001, vnc).catch(() => undefined);
        if (socket) await new Promise((r) => (socket.readyState === socket.CLOSED ? r(null) : socket.once('close', r)));
        await expect(t.client.waitForTask(vnc.upid, { timeoutMs: 30_000 })).rejects.toMatchObject({
          code: 'TASK_FAILED',
        });
      });

      it('a task ending with WARNINGS: n succeeds and reports the count; the warnings are in the log', async () => {
        t.sim!.control.warnNextTask('qmsnapshot', [
          'unable to freeze guest filesystems (agent not running)',
          'second warning',
        ]);
        const lines: string[] = [];
        const res = await t.client.waitForTask(await t.client.qemu.createSnapshot(t.node, 9001, 'warned'), {
          onLog: (l) => lines.push(l),
        });
        expect(res).toMatchObject({ exitstatus: 'WARNINGS: 2', warnings: 2 });
        expect(lines.join('\n')).toContain('unable to freeze guest filesystems');
        expect(lines.at(-1)).toBe('TASK WARNINGS: 2');
        await t.client.waitForTask(await t.client.qemu.deleteSnapshot(t.node, 9001, 'warned'));
      });

      it('task wait timeout → TASK_FAILED while the task keeps running', async () => {
        t.sim!.control.stallTasks('qmsnapshot');
        try {
          const upid = await t.client.qemu.createSnapshot(t.node, 9001, 'stalled');
          await expect(t.client.waitForTask(upid, { timeoutMs: 200 })).rejects.toThrow(/did not finish within 200 ms/);
          expect((await t.client.tasks.status(upid)).status).toBe('running');
          t.sim!.control.releaseTasks('qmsnapshot');
          await t.client.waitForTask(upid);
          await t.client.waitForTask(await t.client.qemu.deleteSnapshot(t.node, 9001, 'stalled'));
        } finally {
          t.sim!.control.releaseTasks();
        }
      });
    });

    describe.runIf(sim)('retries', () => {
      it('a sync config write that hits a guest lock timeout is retried and succeeds', async () => {
        // A stalled snapshot task holds the config lock of 9001; the PUT waits 10 s (scaled) and dies
        // with "can't lock file ... got timeout"; the client backs off (we release the lock there).
        t.sim!.control.stallTasks('qmsnapshot');
        const upid = await t.client.qemu.createSnapshot(t.node, 9001, 'locker');
        const sent: SentRequest[] = [];
        const c = t.make({
          onRequest: (r) => sent.push(r),
          sleep: async () => {
            t.sim!.control.releaseTasks('qmsnapshot');
            await t.client.waitForTask(upid);
          },
        });
        await c.qemu.setConfig(t.node, 9001, { description: 'after lock' });
        expect(sent.filter((r) => r.method === 'PUT')).toHaveLength(2);
        expect((await t.client.qemu.getConfig(t.node, 9001)).description).toContain('after lock');
        c.close();
        await t.client.waitForTask(await t.client.qemu.deleteSnapshot(t.node, 9001, 'locker'));
      });

      it('GETs are retried on injected 503s; POSTs are not', async () => {
        const id = t.sim!.control.addRouteFault({
          path: '/cluster/resources',
          status: 503,
          message: 'Service Unavailable',
        });
        const sent: SentRequest[] = [];
        const c = t.make({ onRequest: (r) => sent.push(r), sleep: async () => t.sim!.control.removeRouteFault(id) });
        expect((await c.cluster.resources('vm')).length).toBeGreaterThan(0);
        expect(sent.filter((r) => r.path === '/cluster/resources')).toHaveLength(2);
        const id2 = t.sim!.control.addRouteFault({
          method: 'POST',
          path: '/nodes/{node}/qemu/{vmid}/status/start',
          status: 503,
          message: 'Service Unavailable',
        });
        sent.length = 0;
        await expect(c.qemu.start(t.node, 9001)).rejects.toMatchObject({ code: 'UNAVAILABLE', status: 503 });
        expect(sent).toHaveLength(1);
        t.sim!.control.removeRouteFault(id2);
        c.close();
      });
    });

    describe.runIf(sim)('ticket auth', () => {
      it('logs in, sends CSRF on writes, renews after 1h45 and re-logs in once after expiry', async () => {
        const { root } = t.sim!.credentials;
        let offset = 0;
        const sent: SentRequest[] = [];
        const c = t.make({
          auth: { type: 'ticket', username: root.username, password: root.password },
          now: () => Date.now() + offset,
          onRequest: (r) => sent.push(r),
        });
        const logins = () => sent.filter((r) => r.path === '/access/ticket');
        await c.version();
        const vmid = await c.cluster.nextId();
        await c.waitForTask(await c.qemu.clone(t.node, 9000, { newid: vmid, name: 'ticket-vm' })); // a write: CSRF
        expect(logins()).toHaveLength(1);
        // 1h46 later (both clocks): renewal with the ticket as password
        offset += 106 * 60_000;
        t.sim!.control.advanceTime(106 * 60);
        await c.cluster.nodes();
        expect(logins()).toHaveLength(2);
        expect(logins()[1]!.params.get('password')).toMatch(/^PVE:/);
        // Server clock jumps past the ticket's 2 h lifetime while the client thinks it is fresh:
        // the 401 triggers exactly one password login and the request is repeated.
        t.sim!.control.advanceTime(3 * 3600);
        await c.cluster.nodes();
        expect(logins()).toHaveLength(3);
        expect(logins()[2]!.params.get('password')).toBe(root.password);
        await c.waitForTask(await c.qemu.destroy(t.node, vmid, { purge: true }));
        c.close();
      });
      it('bad password → AUTH', async () => {
        const c = t.make({ auth: { type: 'ticket', username: 'root@pam', password: 'wrong' } });
        await expect(c.version()).rejects.toMatchObject({ code: 'AUTH' });
        c.close();
      });
    });

    describe.runIf(sim)('permission check', () => {
      it('the full token has everything the platform needs', async () => {
        const report = await t.client.checkPermissions();
        expect(report.missing).toEqual([]);
        expect(report.ok).toBe(true);
        expect(report.required.map((r) => r.privilege)).toEqual(
          expect.arrayContaining([
            'VM.Allocate',
            'VM.GuestAgent.Audit',
            'SDN.Use',
            'Mapping.Use',
            'Datastore.AllocateSpace',
          ]),
        );
      });
      it('the audit-only token lacks the write privileges', async () => {
        const lim = t.sim!.credentials.tokens.limited;
        const c = t.make({ auth: { type: 'token', tokenId: lim.tokenid, secret: lim.secret } });
        const report = await c.checkPermissions();
        expect(report.ok).toBe(false);
        expect(report.authId).toBe(lim.tokenid);
        const missing = report.missing.map((r) => `${r.path} ${r.privilege}`);
        expect(missing).toEqual(
          expect.arrayContaining(['/vms VM.Allocate', '/vms VM.PowerMgmt', '/storage Datastore.AllocateSpace']),
        );
        expect(missing).not.toContain('/vms VM.Audit');
        c.close();
      });
    });

    // Last in the file's order: the run above covered the whole client (only meaningful unfiltered).
    it.runIf(sim)('exercised every public typed call of the client', () => {
      const missing = apiSurface(t.client).filter((m) => !t.called.has(m));
      expect(missing).toEqual([]);
    });
  });
}

// ---------------------------------------------------------------- simulator

defineClientContract('simulator (HTTPS, pinned fingerprint)', 'sim', async () => {
  const sim = await createPveSimulator({ seed: 7, timeFactor: 0.01, port: 0, tls: true });
  const full = sim.credentials.tokens.full;
  const called = new Set<string>();
  const make = (o: Partial<ProxmoxClientOptions> = {}) => {
    const c = new ProxmoxClient({
      url: sim.url,
      auth: { type: 'token', tokenId: full.tokenid, secret: full.secret },
      tls: { fingerprint: sim.tls!.fingerprint },
      logger: silentLogger,
      ...fast,
      ...o,
    });
    recordCalls(c, called);
    return c;
  };
  const client = make();
  return {
    client,
    make,
    node: 'pve1',
    sim,
    called,
    async close() {
      client.close();
      await sim.close();
    },
  };
});

describe('TLS and the registry against the simulator', () => {
  let sim: PveSimulator;
  beforeAll(async () => {
    sim = await createPveSimulator({ seed: 3, timeFactor: 0.01, port: 0, tls: true });
  });
  afterAll(() => sim?.close());

  it('a wrong pinned fingerprint is refused with TLS; the CA PEM works', async () => {
    const full = sim.credentials.tokens.full;
    const auth = { type: 'token' as const, tokenId: full.tokenid, secret: full.secret };
    const wrong = new ProxmoxClient({
      url: sim.url,
      auth,
      tls: { fingerprint: 'AA:'.repeat(31) + 'AA' },
      logger: silentLogger,
    });
    await expect(wrong.version()).rejects.toMatchObject({ code: 'TLS' });
    wrong.close();
    const ca = new ProxmoxClient({ url: sim.url, auth, tls: { caPem: sim.tls!.certPem }, logger: silentLogger });
    await expect(ca.version()).resolves.toHaveProperty('version');
    // /nodes reports the node's certificate fingerprint: what an operator pins (trust on first use)
    const nodes = await ca.cluster.nodes();
    expect(nodes.find((n) => n.node === 'pve1')?.ssl_fingerprint?.toUpperCase()).toBe(
      sim.tls!.fingerprint.toUpperCase(),
    );
    ca.close();
  });

  it('ClusterRegistry builds one client per cluster and rebuilds on a changed record', async () => {
    const full = sim.credentials.tokens.full;
    let record: ClusterRecord = {
      id: 'c1',
      url: sim.url,
      tokenId: full.tokenid,
      tokenSecret: full.secret,
      fingerprint: sim.tls!.fingerprint,
    };
    let loads = 0;
    const registry = new ClusterRegistry(async (id) => (loads++, id === 'c1' ? record : undefined), {
      logger: silentLogger,
    });
    const [a, b] = await Promise.all([registry.get('c1'), registry.get('c1')]);
    expect(a).toBe(b);
    expect(loads).toBe(1);
    expect((await a.version()).version).toMatch(/^9\./);
    expect(await registry.refresh('c1')).toBe(a);
    record = { ...record, tokenSecret: 'rotated-but-wrong' };
    const c = await registry.refresh('c1');
    expect(c).not.toBe(a);
    await expect(c.version()).rejects.toMatchObject({ code: 'AUTH' });
    await expect(registry.get('nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    registry.close();
  });
});

// ---------------------------------------------------------------- real Proxmox (opt-in, read-only)

const env = process.env;
if (env.PVE_URL && env.PVE_TOKEN_ID && env.PVE_TOKEN_SECRET) {
  defineClientContract(`real Proxmox at ${env.PVE_URL}`, 'real', async () => {
    const make = (o: Partial<ProxmoxClientOptions> = {}) =>
      new ProxmoxClient({
        url: env.PVE_URL!,
        auth: { type: 'token', tokenId: env.PVE_TOKEN_ID!, secret: env.PVE_TOKEN_SECRET! },
        tls: {
          fingerprint: env.PVE_FINGERPRINT,
          caPem: env.PVE_CA_FILE ? readFileSync(env.PVE_CA_FILE, 'utf8') : undefined,
        },
        ...o,
      });
    const client = make();
    const node = env.PVE_NODE ?? (await client.cluster.nodes()).find((n) => n.status === 'online')!.node;
    return { client, make, node, called: new Set<string>(), close: async () => client.close() };
  });
}
