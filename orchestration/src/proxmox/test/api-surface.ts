// The public typed calls of a ProxmoxClient, by name (`qemu.start`, `qemu.firewall.listRules`, ...),
// for "every call is covered" checks in the conformance and contract suites.
import type { ProxmoxClient } from '../client.js';

/** Protected/private helpers and members that are not API calls. */
const NOT_CALLS = /Params$|^base$|^gate$|^path$|^lock$|^requireMajor$|^constructor$|^close$|^vncWebsocketPath$/;

export const API_GROUPS = [
  'cluster',
  'tasks',
  'qemu',
  'lxc',
  'storage',
  'ceph',
  'hardware',
  'pciMappings',
  'pools',
  'sdn',
  'firewall',
  'access',
] as const;

function methodNames(obj: object): string[] {
  const names = new Set<string>();
  for (let p = Object.getPrototypeOf(obj); p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    for (const n of Object.getOwnPropertyNames(p)) {
      const d = Object.getOwnPropertyDescriptor(p, n);
      if (typeof d?.value === 'function' && !NOT_CALLS.test(n)) names.add(n);
    }
  }
  return [...names];
}

function targets(c: ProxmoxClient): [string, object][] {
  return [
    ['', c],
    ...API_GROUPS.map((k): [string, object] => [`${k}.`, c[k]]),
    ['qemu.firewall.', c.qemu.firewall],
    ['lxc.firewall.', c.lxc.firewall],
  ];
}

/** Every public call of the client. */
export function apiSurface(c: ProxmoxClient): string[] {
  return targets(c).flatMap(([prefix, obj]) => methodNames(obj).map((m) => `${prefix}${m}`));
}

/** Wraps every public call of this client instance to record its name in `called`. */
export function recordCalls(c: ProxmoxClient, called: Set<string>): void {
  for (const [prefix, obj] of targets(c)) {
    const o = obj as Record<string, (...args: unknown[]) => unknown>;
    for (const m of methodNames(obj)) {
      const original = o[m]!.bind(obj);
      o[m] = (...args: unknown[]) => {
        called.add(`${prefix}${m}`);
        return original(...args);
      };
    }
  }
}
