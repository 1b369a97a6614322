/**
 * Arguments of the bpg/proxmox resources our modules use, as a tree: `true` is an attribute, an
 * object is a nested block. Written from shared/reference/terraform-ansible.md (VM, container; provider
 * snapshot v0.111.1) and the provider's docs/resources pages (SDN, storage, download_file). Tests walk
 * every module's resources against it, so a misspelt or invented argument fails before any `plan`.
 * Deprecated arguments (network_device.enabled) are deliberately left out.
 */
/** `true`: an attribute; `'*'`: a block whose contents the reference does not list (not checked). */
export type ArgTree = { readonly [name: string]: true | '*' | ArgTree };

const attrs = (...names: string[]): ArgTree => Object.fromEntries(names.map((n) => [n, true]));

const startup = attrs('order', 'up_delay', 'down_delay');
const ipConfig: ArgTree = { ipv4: attrs('address', 'gateway'), ipv6: attrs('address', 'gateway') };
const dns = attrs('domain', 'servers');
const clone = attrs('vm_id', 'node_name', 'datastore_id', 'full', 'retries');

export const BPG_RESOURCES: Readonly<Record<string, ArgTree>> = {
  proxmox_virtual_environment_vm: {
    ...attrs('node_name', 'vm_id', 'name', 'description', 'pool_id', 'migrate', 'started', 'on_boot', 'tags'),
    ...attrs('bios', 'machine', 'scsi_hardware', 'boot_order', 'audio_device', 'kvm_arguments', 'hook_script_file_id'),
    ...attrs('protection', 'template', 'stop_on_destroy', 'purge_on_destroy', 'reboot', 'reboot_after_update'),
    ...attrs('timeout_clone', 'timeout_create', 'timeout_migrate', 'timeout_reboot', 'timeout_shutdown_vm'),
    ...attrs('timeout_start_vm', 'timeout_stop_vm'),
    clone,
    cpu: attrs('cores', 'sockets', 'type', 'architecture', 'flags', 'hotplugged', 'limit', 'units', 'numa', 'affinity'),
    memory: attrs('dedicated', 'floating', 'shared', 'hugepages', 'keep_hugepages'),
    disk: {
      ...attrs('interface', 'datastore_id', 'size', 'file_format', 'import_from', 'file_id', 'iothread', 'discard'),
      ...attrs('ssd', 'cache', 'aio', 'backup', 'replicate'),
      speed: '*',
    },
    efi_disk: attrs('datastore_id', 'file_format', 'type', 'pre_enrolled_keys'),
    tpm_state: attrs('datastore_id', 'version'),
    network_device: attrs('bridge', 'model', 'mac_address', 'vlan_id', 'trunks', 'firewall', 'rate_limit', 'mtu', 'queues', 'disconnected'),
    initialization: {
      ...attrs('datastore_id', 'interface', 'file_format', 'upgrade'),
      ...attrs('user_data_file_id', 'network_data_file_id', 'vendor_data_file_id', 'meta_data_file_id'),
      dns,
      ip_config: ipConfig,
      user_account: attrs('username', 'password', 'keys'),
    },
    hostpci: attrs('device', 'mapping', 'id', 'mdev', 'pcie', 'rombar', 'xvga', 'rom_file'),
    usb: attrs('host', 'mapping', 'usb3'),
    agent: { ...attrs('enabled', 'timeout', 'trim', 'type'), wait_for_ip: attrs('ipv4', 'ipv6', 'disabled') },
    startup,
    operating_system: attrs('type'),
    vga: attrs('type', 'memory'),
    serial_device: '*',
    virtiofs: '*',
    numa: '*',
    watchdog: '*',
    smbios: '*',
    rng: '*',
    amd_sev: '*',
  },
  proxmox_virtual_environment_container: {
    ...attrs('node_name', 'vm_id', 'description', 'pool_id', 'tags', 'unprivileged', 'started', 'start_on_boot'),
    ...attrs('protection', 'template', 'hook_script_file_id', 'environment_variables'),
    ...attrs('timeout_create', 'timeout_clone', 'timeout_update', 'timeout_delete'),
    clone: attrs('vm_id', 'node_name', 'datastore_id', 'full'),
    operating_system: attrs('template_file_id', 'type'),
    cpu: attrs('cores', 'architecture', 'limit', 'units'),
    memory: attrs('dedicated', 'swap'),
    disk: attrs('datastore_id', 'size', 'acl', 'mount_options', 'quota', 'replicate'),
    mount_point: attrs('volume', 'path', 'size', 'backup', 'read_only', 'shared', 'quota', 'acl', 'mount_options', 'replicate'),
    network_interface: attrs('name', 'bridge', 'vlan_id', 'mac_address', 'firewall', 'rate_limit', 'mtu', 'host_managed'),
    initialization: {
      ...attrs('hostname', 'entrypoint'),
      dns,
      ip_config: ipConfig,
      user_account: attrs('keys', 'password'),
    },
    features: attrs('nesting', 'fuse', 'keyctl', 'mount', 'mknod'),
    idmap: '*',
    device_passthrough: attrs('path', 'deny_write', 'gid', 'mode', 'uid'),
    console: attrs('type', 'tty_count'),
    startup,
    wait_for_ip: '*',
  },
  proxmox_virtual_environment_sdn_zone_simple: attrs('id', 'nodes', 'mtu', 'dns', 'dns_zone', 'ipam', 'reverse_dns', 'dhcp'),
  proxmox_virtual_environment_sdn_vnet: attrs('id', 'zone', 'alias', 'isolate_ports', 'tag', 'vlan_aware'),
  // dhcp_range is an attribute of object type (Plugin Framework), assigned with `=`, not a block.
  proxmox_virtual_environment_sdn_subnet: attrs('cidr', 'vnet', 'gateway', 'snat', 'dhcp_dns_server', 'dhcp_range', 'dns_zone_prefix'),
  proxmox_virtual_environment_sdn_applier: {},
  proxmox_virtual_environment_storage_directory: {
    ...attrs('id', 'path', 'nodes', 'content', 'disable', 'shared', 'preallocation'),
    backups: attrs('keep_all', 'keep_daily', 'keep_hourly', 'keep_last', 'keep_monthly', 'keep_weekly', 'keep_yearly', 'max_protected_backups'),
  },
  proxmox_virtual_environment_download_file: attrs(
    'content_type',
    'datastore_id',
    'node_name',
    'url',
    'checksum',
    'checksum_algorithm',
    'decompression_algorithm',
    'file_name',
    'overwrite',
    'overwrite_unmanaged',
    'upload_timeout',
    'verify',
  ),
};

/** Terraform meta-arguments, valid on every resource. */
export const META_ARGUMENTS = new Set(['count', 'for_each', 'depends_on', 'provider', 'lifecycle', 'provisioner', 'connection']);
