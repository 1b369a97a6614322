/**
 * Per-job inventory, built as data (Ansible's YAML inventory plugin reads JSON too). Pure: the runner
 * writes it into the job's private temp directory next to the key file it references.
 */
export type AnsibleConnection = 'ssh' | 'winrm' | 'community.general.chroot';

export interface InventoryHost {
  /** Inventory hostname (the machine's name; also base_hostname's default). */
  name: string;
  /** IP address or DNS name; for the chroot connection, the root directory. */
  address: string;
  connection?: AnsibleConnection;
  user?: string;
  port?: number;
  /** Path of the private key file (ssh). */
  privateKeyFile?: string;
  /** The host's SSH key is known (written to known_hosts): verify it strictly instead of trusting on first use. */
  pinnedHostKey?: boolean;
  /** Password (winrm). The inventory file is 0600 in a 0700 directory and removed after the run. */
  password?: string;
  /** Host variables (role variables for this machine). */
  vars?: Record<string, unknown>;
}

export interface InventoryOptions {
  /** Per-job known_hosts: pinned keys are checked strictly; others are accepted on first contact. */
  knownHostsFile?: string;
  /** Variables for every host. */
  groupVars?: Record<string, unknown>;
}

export interface Inventory {
  all: { hosts: Record<string, Record<string, unknown>>; vars: Record<string, unknown> };
}

export function buildInventory(hosts: readonly InventoryHost[], options: InventoryOptions = {}): Inventory {
  const names = new Set<string>();
  const entries: Record<string, Record<string, unknown>> = {};
  for (const h of hosts) {
    if (names.has(h.name)) throw new TypeError(`duplicate inventory host ${h.name}`);
    names.add(h.name);
    const connection = h.connection ?? 'ssh';
    const entry: Record<string, unknown> = { ansible_host: h.address, ansible_connection: connection };
    if (h.user !== undefined) entry.ansible_user = h.user;
    if (h.port !== undefined) entry.ansible_port = h.port;
    if (connection === 'ssh') {
      if (h.privateKeyFile) entry.ansible_ssh_private_key_file = h.privateKeyFile;
      const known = options.knownHostsFile ?? '/dev/null';
      const strict = h.pinnedHostKey ? 'yes' : 'accept-new';
      entry.ansible_ssh_common_args = `-o StrictHostKeyChecking=${strict} -o UserKnownHostsFile=${known} -o IdentitiesOnly=yes`;
    }
    if (connection === 'winrm' && h.password !== undefined) entry.ansible_password = h.password;
    if (connection === 'community.general.chroot') entry.ansible_python_interpreter = '/usr/bin/python3';
    entries[h.name] = { ...entry, ...h.vars };
  }
  return { all: { hosts: entries, vars: { ...options.groupVars } } };
}
