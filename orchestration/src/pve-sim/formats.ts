// Registered string formats of pve-common's JSONSchema.pm and the guest modules, with the error
// texts the real verifiers die with. A format ending in `-list` is a list of the base format split
// on commas, semicolons, spaces or NULs; `-opt` allows the empty string.
import { isIP } from 'node:net';

type Verifier = (value: string) => string | undefined;

const re =
  (regex: RegExp, message: (v: string) => string): Verifier =>
  (v) =>
    regex.test(v) ? undefined : message(v);

const CONFIGID = /^[a-z][a-z0-9_-]+$/i;
const STORAGEID = /^[a-z][a-z0-9\-_.]*[a-z0-9]$/i;
const NODE = /^(?:[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?)$/;
const REALM = /^[A-Za-z][A-Za-z0-9.\-_]+$/;
const USERID = /^(?:[^\s:/]+)@(?:[A-Za-z][A-Za-z0-9.\-_]+)$/;
const TOKEN = /^(?:[^\s:/]+)@(?:[A-Za-z][A-Za-z0-9.\-_]+)!(?:[A-Za-z][A-Za-z0-9.\-_]+)$/;
const TAG = /^[a-z0-9_][a-z0-9_\-+.]*$/i;
const DNS_LABEL = '(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)';
const DNS_NAME = new RegExp(`^(?:${DNS_LABEL}\\.)*${DNS_LABEL}$`);

const cidr = (family: 4 | 6 | 0, v: string) => {
  const [ip, mask, extra] = v.split('/');
  if (!ip || mask === undefined || extra !== undefined || !/^\d+$/.test(mask)) return false;
  const fam = isIP(ip);
  if (fam === 0 || (family !== 0 && fam !== family)) return false;
  return Number(mask) <= (fam === 4 ? 32 : 128);
};

const macUnicast = (v: string) =>
  /^[a-f0-9]{2}(?::[a-f0-9]{2}){5}$/i.test(v) && (parseInt(v.slice(0, 2), 16) & 1) === 0;

export const verifiers: Record<string, Verifier> = {
  'pve-configid': re(CONFIGID, (v) => `invalid configuration ID '${v}'`),
  'pve-vmid': re(/^[1-9][0-9]{2,8}$/, () => 'value does not look like a valid VM ID'),
  'pve-node': re(NODE, () => 'value does not look like a valid node name'),
  'pve-storage-id': re(STORAGEID, (v) => `storage ID '${v}' contains illegal characters`),
  'pve-poolid': re(/^[A-Za-z0-9_-]+(?:\/[A-Za-z0-9_-]+){0,2}$/, (v) => `invalid pool ID '${v}'`),
  'pve-realm': re(REALM, () => 'value does not look like a valid realm'),
  'pve-userid': re(USERID, (v) => `value '${v}' does not look like a valid user name`),
  'pve-tokenid': re(TOKEN, (v) => `value '${v}' does not look like a valid token ID`),
  'pve-groupid': re(/^[A-Za-z0-9.\-_]+$/, (v) => `group name '${v}' contains invalid characters`),
  'pve-roleid': re(/^[A-Za-z0-9.\-_]+$/, (v) => `role name '${v}' contains invalid characters`),
  'pve-priv': re(/^[A-Za-z][A-Za-z.]+$/, (v) => `invalid privilege name '${v}'`),
  'pve-tag': re(TAG, () => 'invalid characters in tag'),
  'pve-iface': re(/^[a-zA-Z][a-zA-Z0-9_]{1,20}([:.]\d+)?$/, (v) => `invalid network interface name '${v}'`),
  'pve-bridge-id': re(/^[-_.\w\d]+$/, (v) => `invalid bridge ID '${v}'`),
  'pve-sdn-zone-id': re(/^[a-z][a-z0-9]{0,6}[a-z0-9]$/i, (v) => `zone ID '${v}' contains illegal characters`),
  'pve-sdn-vnet-id': re(/^[a-z][a-z0-9]{0,6}[a-z0-9]$/i, (v) => `vnet ID '${v}' contains illegal characters`),
  // pve-network's parse_subnet_id: a CIDR, or the object id `<zone>-<ip>-<mask>`.
  'pve-sdn-subnet-id': (v) => {
    if (v.includes('/')) return cidr(0, v) ? undefined : `value does not look like a valid CIDR network`;
    const m = /^[a-z][a-z0-9]*-(.+)-(\d+)$/i.exec(v);
    return m && cidr(0, `${m[1]}/${m[2]}`) ? undefined : `subnet ID '${v}' contains illegal characters`;
  },
  'pve-storage-content': re(
    /^(images|rootdir|vztmpl|iso|backup|snippets|import|none)$/,
    (v) => `invalid content type '${v}'`,
  ),
  'pve-volume-id': re(/^(?:[a-z][a-z0-9\-_.]*[a-z0-9]):.+$/i, (v) => `unable to parse volume ID '${v}'`),
  'pve-tfa-secret': () => undefined,
  urlencoded: re(/^[-%a-zA-Z0-9_.!~*'()]*$/, (v) => `invalid urlencoded string: ${v}`),
  'mac-addr': (v) => (macUnicast(v) ? undefined : 'value does not look like a valid unicast MAC address'),
  ipv4: (v) => (isIP(v) === 4 ? undefined : 'value does not look like a valid IPv4 address'),
  ipv6: (v) => (isIP(v) === 6 ? undefined : 'value does not look like a valid IPv6 address'),
  ip: (v) => (isIP(v) ? undefined : 'value does not look like a valid IP address'),
  address: (v) => (isIP(v) || DNS_NAME.test(v) ? undefined : 'value does not look like a valid address'),
  CIDR: (v) => (cidr(0, v) ? undefined : 'value does not look like a valid CIDR network'),
  CIDRv4: (v) => (cidr(4, v) ? undefined : 'value does not look like a valid IPv4 CIDR network'),
  CIDRv6: (v) => (cidr(6, v) ? undefined : 'value does not look like a valid IPv6 CIDR network'),
  IPorCIDR: (v) => (isIP(v) || cidr(0, v) ? undefined : 'value does not look like a valid IP address or CIDR network'),
  'dns-name': re(DNS_NAME, () => 'value does not look like a valid DNS name'),
  email: re(/^[\w+\-~.]+@[a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)*$/, () => 'value does not look like a valid email address'),
  'pve-qm-ipconfig': (v) => verifyIpConfig(v),
  // pve-firewall's verifiers: ports/ranges/service names, protocol names/numbers, address lists.
  'pve-fw-dport-spec': (v) => verifyPorts(v),
  'pve-fw-sport-spec': (v) => verifyPorts(v),
  'pve-fw-protocol-spec': (v) =>
    /^(\d{1,3}|[a-z][a-z0-9-]*)$/i.test(v) && (!/^\d+$/.test(v) || Number(v) <= 255)
      ? undefined
      : `unknown protocol '${v}'`,
  'pve-fw-addr-spec': (v) => {
    for (const part of v.split(',')) {
      if (/^\+?(dc\/|guest\/)?[a-z][a-z0-9_-]*$/i.test(part)) continue; // alias or ipset
      const range = part.split('-');
      if (range.length === 2 && range.every((x) => isIP(x))) continue;
      if (!isIP(part) && !cidr(0, part)) return `invalid IP address '${part}'`;
    }
    return undefined;
  },
  'pve-hotplug-features': (v) =>
    /^(0|1|((network|disk|cpu|memory|usb|cloudinit)(,(network|disk|cpu|memory|usb|cloudinit))*))$/.test(v)
      ? undefined
      : `invalid hotplug feature '${v}'`,
  'pve-qm-hostpci': (v) => verifyHostPci(v),
};

function verifyPorts(v: string): string | undefined {
  for (const part of v.split(',')) {
    const m = /^(\d+)(?::(\d+))?$/.exec(part);
    if (m) {
      if (Number(m[1]) > 65535 || (m[2] !== undefined && Number(m[2]) > 65535)) return `invalid port '${part}'`;
      continue;
    }
    if (!/^[a-z][a-z0-9+_-]*$/i.test(part)) return `invalid port '${part}'`;
  }
  return undefined;
}

function verifyIpConfig(v: string): string | undefined {
  for (const part of v.split(',')) {
    if (!part) continue;
    const [k, val = ''] = part.split(/=(.*)/s);
    if (k === 'ip' && val !== 'dhcp' && !cidr(4, val)) return `invalid IPv4 address/CIDR '${val}'`;
    if (k === 'ip6' && val !== 'dhcp' && val !== 'auto' && !cidr(6, val)) return `invalid IPv6 address/CIDR '${val}'`;
    if (k === 'gw' && isIP(val) !== 4) return 'value does not look like a valid IPv4 address';
    if (k === 'gw6' && isIP(val) !== 6) return 'value does not look like a valid IPv6 address';
  }
  return undefined;
}

function verifyHostPci(v: string): string | undefined {
  const keys = new Map<string, string>();
  for (const part of v.split(',')) {
    if (!part) continue;
    if (!part.includes('=')) keys.set('host', part);
    else {
      const [k = '', val = ''] = part.split(/=(.*)/s);
      keys.set(k, val);
    }
  }
  const host = keys.get('host');
  if (host !== undefined) {
    const one = /^(?:[a-f0-9]{4,}:)?[a-f0-9]{2}:[a-f0-9]{2}(?:\.[a-f0-9])?$/i;
    if (!host.split(';').every((h) => one.test(h))) return `value does not match the regex pattern`;
  }
  if (host === undefined && !keys.has('mapping')) return "either 'host' or 'mapping' must be set.";
  return undefined;
}

/** Checks `value` against a registered format name; undefined when valid or the format is unknown. */
export function checkNamedFormat(format: string, value: string, typetext?: string): string | undefined {
  if (format.endsWith('-opt') && value === '') return undefined;
  const base = format.replace(/-opt$/, '');
  if (base.endsWith('-list') && !verifiers[base]) {
    const item = verifiers[base.slice(0, -5)];
    if (!item) return undefined;
    for (const part of value.split(/[,;\s\0]+/)) {
      if (part === '') continue;
      const err = item(part);
      if (err) return err;
    }
    return undefined;
  }
  const verifier = verifiers[base];
  if (verifier) {
    const err = verifier(value);
    if (err) return err;
  }
  // Named property-string formats we do not model in detail: check the keys the typetext lists.
  if (typetext && /(^|[\s,[])[a-z0-9_-]+=</i.test(typetext)) return checkTypetextKeys(typetext, value);
  return undefined;
}

function checkTypetextKeys(typetext: string, value: string): string | undefined {
  const keys = new Set<string>();
  for (const m of typetext.matchAll(/(?:^|[\s,[])([a-z0-9_-]+)=/gi)) keys.add(m[1] as string);
  const hasDefault = /^\s*\[+[a-z0-9_-]+=\]/i.test(typetext) || /^\s*</.test(typetext);
  const seen = new Set<string>();
  for (const part of value.split(',')) {
    if (/^\s*$/.test(part)) continue;
    const eq = part.indexOf('=');
    if (eq === -1) {
      if (!hasDefault) return 'value without key, but schema does not define a default key';
      continue;
    }
    const key = part.slice(0, eq);
    if (!keys.has(key)) return `invalid key in comma-separated list property: ${key}`;
    if (seen.has(key)) return `duplicate key in comma-separated list property: ${key}`;
    seen.add(key);
  }
  return undefined;
}
