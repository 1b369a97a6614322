// A small, independent checker of requests against the published Proxmox API schema (apidata.js as
// JSON): does the path+method exist, and does every parameter validate (type, enum, range, length,
// pattern, named and inline formats, required). Used by the conformance test only. It is stricter
// than Proxmox where that catches client bugs: booleans must be 0/1.
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface Prop {
  type?: string;
  format?: string | Record<string, Prop>;
  optional?: number;
  enum?: string[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  default?: unknown;
  default_key?: number;
  alias?: string;
  keyAlias?: string;
  items?: Prop;
  typetext?: string;
}

interface MethodInfo {
  parameters?: { properties?: Record<string, Prop>; additionalProperties?: number };
  returns?: { type?: string };
}

interface Node {
  path: string;
  info?: Partial<Record<HttpMethod, MethodInfo>>;
  children?: Node[];
}

export interface ApiSchema {
  version: string;
  endpoints: Map<string, Partial<Record<HttpMethod, MethodInfo>>>;
}

export function loadApiSchema(file: string | URL, version: string): ApiSchema {
  const endpoints = new Map<string, Partial<Record<HttpMethod, MethodInfo>>>();
  const walk = (n: Node) => {
    endpoints.set(n.path, n.info ?? {});
    n.children?.forEach(walk);
  };
  (JSON.parse(readFileSync(file, 'utf8')) as Node[]).forEach(walk);
  return { version, endpoints };
}

/** Finds the template for a concrete path; literal segments beat `{vars}`. */
export function matchPath(
  schema: ApiSchema,
  path: string,
): { template: string; vars: Record<string, string> } | undefined {
  const parts = path
    .split('/')
    .filter(Boolean)
    .map((p) => decodeURIComponent(p));
  let best: { template: string; vars: Record<string, string>; score: number } | undefined;
  for (const template of schema.endpoints.keys()) {
    const segs = template.split('/').filter(Boolean);
    if (segs.length !== parts.length) continue;
    const vars: Record<string, string> = {};
    let score = 0;
    let ok = true;
    segs.forEach((s, i) => {
      if (s.startsWith('{')) vars[s.slice(1, -1)] = parts[i]!;
      else if (s === parts[i]) score++;
      else ok = false;
    });
    if (ok && (!best || score > best.score)) best = { template, vars, score };
  }
  return best && { template: best.template, vars: best.vars };
}

// ---------------------------------------------------------------- named formats

const DNS_LABEL = '(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)';
const rx = (r: RegExp) => (v: string) => r.test(v);
const cidr = (fam: 4 | 6 | 0) => (v: string) => {
  const [ip, mask, extra] = v.split('/');
  if (!ip || mask === undefined || extra !== undefined || !/^\d+$/.test(mask)) return false;
  const f = isIP(ip);
  return f !== 0 && (fam === 0 || f === fam) && Number(mask) <= (f === 4 ? 32 : 128);
};

const FORMATS: Record<string, (v: string) => boolean> = {
  'pve-node': rx(/^[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$/),
  'pve-vmid': rx(/^[1-9][0-9]{2,8}$/),
  'pve-configid': rx(/^[a-z][a-z0-9_-]+$/i),
  'pve-storage-id': rx(/^[a-z][a-z0-9\-_.]*[a-z0-9]$/i),
  'pve-poolid': rx(/^[A-Za-z0-9_-]+(?:\/[A-Za-z0-9_-]+){0,2}$/),
  'pve-userid': rx(/^[^\s:/]+@[A-Za-z][A-Za-z0-9.\-_]+$/),
  'pve-tokenid': rx(/^[^\s:/]+@[A-Za-z][A-Za-z0-9.\-_]+![A-Za-z][A-Za-z0-9.\-_]+$/),
  'pve-roleid': rx(/^[A-Za-z0-9.\-_]+$/),
  'pve-groupid': rx(/^[A-Za-z0-9.\-_]+$/),
  'pve-realm': rx(/^[A-Za-z][A-Za-z0-9.\-_]+$/),
  'pve-priv': rx(/^[A-Za-z][A-Za-z.]+$/),
  'pve-tag': rx(/^[a-z0-9_][a-z0-9_\-+.]*$/i),
  'pve-bridge-id': rx(/^[-_.\w\d]+$/),
  'pve-iface': rx(/^[a-zA-Z][a-zA-Z0-9_]{1,20}([:.]\d+)?$/),
  'pve-sdn-zone-id': rx(/^[a-z][a-z0-9]{0,6}[a-z0-9]$/i),
  'pve-sdn-vnet-id': rx(/^[a-z][a-z0-9]{0,6}[a-z0-9]$/i),
  // SubnetPlugin.pm parse_subnet_id: a CIDR, or `<zone>-<ip>-<mask>` (the object id).
  'pve-sdn-subnet-id': (v) =>
    cidr(0)(v) || (/^[a-z][a-z0-9]*-[0-9a-f.:]+-\d+$/i.test(v) && cidr(0)(v.split('-').slice(1).join('/'))),
  'pve-storage-content': rx(/^(images|rootdir|vztmpl|iso|backup|snippets|import|none)$/),
  'pve-volume-id': rx(/^[a-z][a-z0-9\-_.]*[a-z0-9]:.+$/i),
  'pve-volume-id-or-qm-path': (v) => FORMATS['pve-volume-id']!(v) || v.startsWith('/') || v === 'none' || v === 'cdrom',
  'pve-lxc-mp-string': (v) => v.length > 0 && !/[,\0]/.test(v),
  'pve-storage-path': (v) => v.startsWith('/'),
  'disk-size': rx(/^\d+(\.\d+)?[KMGT]?$/),
  urlencoded: rx(/^[-%a-zA-Z0-9_.!~*'()]*$/),
  'mac-addr': (v) => /^[a-f0-9]{2}(?::[a-f0-9]{2}){5}$/i.test(v) && (parseInt(v.slice(0, 2), 16) & 1) === 0,
  ip: (v) => isIP(v) !== 0,
  ipv4: (v) => isIP(v) === 4,
  ipv6: (v) => isIP(v) === 6,
  CIDR: cidr(0),
  CIDRv4: cidr(4),
  CIDRv6: cidr(6),
  'pve-ipv4-config': (v) => v === 'dhcp' || v === 'manual' || cidr(4)(v),
  'pve-ipv6-config': (v) => ['dhcp', 'auto', 'manual'].includes(v) || cidr(6)(v),
  address: (v) => isIP(v) !== 0 || new RegExp(`^(?:${DNS_LABEL}\\.)*${DNS_LABEL}$`).test(v),
  'dns-name': rx(new RegExp(`^(?:${DNS_LABEL}\\.)*${DNS_LABEL}$`)),
  string: () => true,
  email: rx(/^[\w+\-~.]+@[a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)*$/),
  'lxc-ip-with-ll-iface': (v) => isIP(v.replace(/%[a-z0-9_.-]+$/i, '')) !== 0,
  'storage-pair': (v) => /^[a-z][a-z0-9\-_.]*[a-z0-9](:[a-z][a-z0-9\-_.]*[a-z0-9])?$/i.test(v) || v === '1',
  'pve-qm-ipconfig': (v) =>
    checkInline(
      {
        ip: { type: 'string', format: 'pve-ipv4-config', optional: 1 },
        gw: { type: 'string', format: 'ipv4', optional: 1 },
        ip6: { type: 'string', format: 'pve-ipv6-config', optional: 1 },
        gw6: { type: 'string', format: 'ipv6', optional: 1 },
      },
      v,
    ).length === 0,
  'pve-qm-hostpci': (v) =>
    checkInline(
      {
        host: {
          type: 'string',
          pattern:
            '(?:[a-f0-9]{4,}:)?[a-f0-9]{2}:[a-f0-9]{2}(?:\\.[a-f0-9])?(?:;(?:[a-f0-9]{4,}:)?[a-f0-9]{2}:[a-f0-9]{2}(?:\\.[a-f0-9])?)*',
          optional: 1,
          default_key: 1,
        },
        mapping: { type: 'string', format: 'pve-configid', optional: 1 },
        pcie: { type: 'boolean', optional: 1 },
        'x-vga': { type: 'boolean', optional: 1 },
        rombar: { type: 'boolean', optional: 1 },
        romfile: { type: 'string', optional: 1 },
        mdev: { type: 'string', optional: 1 },
        driver: { type: 'string', enum: ['vfio', 'keep'], optional: 1 },
        'legacy-igd': { type: 'boolean', optional: 1 },
        'vendor-id': { type: 'string', optional: 1 },
        'device-id': { type: 'string', optional: 1 },
        'sub-vendor-id': { type: 'string', optional: 1 },
        'sub-device-id': { type: 'string', optional: 1 },
      },
      v,
    ).length === 0 &&
    (/(^|,)mapping=/.test(v) || !/^[a-z-]+=/.test(v) || /(^|,)host=/.test(v)),
  'pve-sdn-dhcp-range': (v) =>
    checkInline(
      { 'start-address': { type: 'string', format: 'ip' }, 'end-address': { type: 'string', format: 'ip' } },
      v,
    ).length === 0,
};

/** Formats whose values are lists of another format (`-list` suffix), split like PVE does. */
function checkNamed(format: string, value: string, unchecked: Set<string>): boolean {
  if (format.endsWith('-opt')) return value === '' || checkNamed(format.slice(0, -4), value, unchecked);
  if (FORMATS[format]) return FORMATS[format](value);
  if (format.endsWith('-list')) {
    const base = format.slice(0, -5);
    if (FORMATS[base])
      return value
        .split(/[,;\s\0]+/)
        .filter(Boolean)
        .every((p) => FORMATS[base]!(p));
  }
  unchecked.add(format);
  return true;
}

// ---------------------------------------------------------------- values

// Perl `(?^:...)` / `(?^i:...)` groups become JS `(?:...)` / `(?i:...)` (regexp modifiers, Node 23+).
const perlPattern = (p: string) => new RegExp(`^(?:${p.replace(/\(\?\^([a-z]*):/g, '(?$1:').replace(/\\@/g, '@')})$`);

export function checkValue(name: string, p: Prop, values: string[], unchecked: Set<string>): string[] {
  if (p.type === 'array') return values.flatMap((v) => (p.items ? checkValue(name, p.items, [v], unchecked) : []));
  if (values.length !== 1) return [`${name}: sent ${values.length} times but is not an array`];
  const v = values[0]!;
  const errs: string[] = [];
  if (p.type === 'boolean' && v !== '0' && v !== '1') errs.push(`${name}: boolean must be 0/1, got '${v}'`);
  if (p.type === 'integer' && !/^[+-]?\d+$/.test(v)) errs.push(`${name}: not an integer: '${v}'`);
  if (p.type === 'number' && !/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(v))
    errs.push(`${name}: not a number: '${v}'`);
  if ((p.type === 'integer' || p.type === 'number') && p.minimum !== undefined && Number(v) < p.minimum) {
    errs.push(`${name}: ${v} < minimum ${p.minimum}`);
  }
  if ((p.type === 'integer' || p.type === 'number') && p.maximum !== undefined && Number(v) > p.maximum) {
    errs.push(`${name}: ${v} > maximum ${p.maximum}`);
  }
  if (p.minLength !== undefined && v.length < p.minLength) errs.push(`${name}: shorter than ${p.minLength}`);
  if (p.maxLength !== undefined && v.length > p.maxLength) errs.push(`${name}: longer than ${p.maxLength}`);
  if (p.enum && !p.enum.includes(v)) errs.push(`${name}: '${v}' not in enum ${p.enum.join('|')}`);
  if (p.pattern && !perlPattern(p.pattern).test(v)) errs.push(`${name}: '${v}' does not match /${p.pattern}/`);
  if (typeof p.format === 'string' && !checkNamed(p.format, v, unchecked))
    errs.push(`${name}: '${v}' is not a valid ${p.format}`);
  if (p.format && typeof p.format === 'object') errs.push(...checkInline(p.format, v, name, unchecked));
  return errs;
}

/** An inline property-string format: keys, aliases, default key, each value, required keys. */
export function checkInline(
  format: Record<string, Prop>,
  value: string,
  name = 'value',
  unchecked = new Set<string>(),
): string[] {
  const defaultKey = Object.entries(format).find(([, p]) => p.default_key)?.[0];
  const values: Record<string, string> = {};
  const errs: string[] = [];
  for (const part of value.split(',')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    let key = eq === -1 ? defaultKey : part.slice(0, eq);
    const val = eq === -1 ? part : part.slice(eq + 1);
    if (key === undefined) {
      errs.push(`${name}: bare value '${part}' but the format has no default key`);
      continue;
    }
    const def = format[key];
    if (def?.alias) {
      if (def.keyAlias) values[def.keyAlias] = key;
      key = def.alias;
    }
    if (!format[key]) {
      errs.push(`${name}: unknown key '${key}'`);
      continue;
    }
    if (values[key] !== undefined) errs.push(`${name}: duplicate key '${key}'`);
    values[key] = val;
  }
  for (const [key, p] of Object.entries(format)) {
    if (p.alias) continue;
    if (values[key] === undefined) {
      if (!p.optional && p.default === undefined) errs.push(`${name}: required key '${key}' missing`);
      continue;
    }
    errs.push(...checkValue(`${name}.${key}`, p, [values[key]!], unchecked));
  }
  return errs;
}

function findProp(props: Record<string, Prop>, key: string): Prop | undefined {
  if (props[key]) return props[key];
  const m = /^([a-z_-]+?)(\d+)$/i.exec(key);
  return m ? props[`${m[1]}[n]`] : undefined;
}

export interface Verdict {
  template?: string;
  errors: string[];
  uncheckedFormats: string[];
}

/** Checks one request. `params` are the wire parameters (query or form). */
export function validateRequest(schema: ApiSchema, method: HttpMethod, path: string, params: URLSearchParams): Verdict {
  const m = matchPath(schema, path);
  const info = m && schema.endpoints.get(m.template)?.[method];
  if (!m || !info)
    return { errors: [`${method} ${path}: no such endpoint in PVE ${schema.version}`], uncheckedFormats: [] };
  const props = info.parameters?.properties ?? {};
  const unchecked = new Set<string>();
  const errors: string[] = [];
  const all = new Map<string, string[]>();
  for (const [k, v] of Object.entries(m.vars)) all.set(k, [v]);
  for (const k of new Set(params.keys())) {
    if (all.has(k)) errors.push(`${k}: also in the path (Proxmox rejects conflicting duplicates)`);
    all.set(k, params.getAll(k));
  }
  for (const [k, values] of all) {
    const p = findProp(props, k);
    if (!p) {
      errors.push(`${k}: not a parameter of ${method} ${m.template} in PVE ${schema.version}`);
      continue;
    }
    errors.push(...checkValue(k, p, values, unchecked));
  }
  for (const [k, p] of Object.entries(props)) {
    if (!k.endsWith('[n]') && !p.optional && !all.has(k)) errors.push(`${k}: required but not sent`);
  }
  return { template: m.template, errors, uncheckedFormats: [...unchecked] };
}

export function returnsType(schema: ApiSchema, method: HttpMethod, template: string): string | undefined {
  return schema.endpoints.get(template)?.[method]?.returns?.type;
}
