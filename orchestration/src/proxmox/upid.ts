// UPID = the id of a Proxmox task (reference/proxmox/README.md §3):
// UPID:<node>:<pid 8 hex>:<pstart 8-9 hex>:<starttime 8 hex>:<type>:<id>:<user>:

export interface Upid {
  upid: string;
  node: string;
  pid: number;
  /** Process start, clock ticks since boot. */
  pstart: number;
  /** Unix epoch seconds. */
  starttime: number;
  /** Worker type: qmstart, vzcreate, qmclone, ... */
  type: string;
  /** Usually the vmid as a string; may be empty. */
  id: string;
  /** `user@realm`, or `user@realm!token` for token-owned tasks. */
  user: string;
  tokenId?: string;
}

const UPID_RE =
  /^UPID:([a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?):([0-9A-Fa-f]{8}):([0-9A-Fa-f]{8,9}):([0-9A-Fa-f]{8}):([^:\s/]+):([^:\s/]*):([^:\s/]+):$/;

export function isUpid(value: unknown): value is string {
  return typeof value === 'string' && UPID_RE.test(value);
}

export function parseUpid(upid: string): Upid {
  const m = UPID_RE.exec(upid);
  if (!m) throw new Error(`not a Proxmox task id (UPID): '${upid}'`);
  const user = m[7]!;
  const bang = user.indexOf('!');
  return {
    upid,
    node: m[1]!,
    pid: Number.parseInt(m[2]!, 16),
    pstart: Number.parseInt(m[3]!, 16),
    starttime: Number.parseInt(m[4]!, 16),
    type: m[5]!,
    id: m[6]!,
    user,
    tokenId: bang === -1 ? undefined : user.slice(bang + 1),
  };
}

const hex = (n: number, width: number) => n.toString(16).toUpperCase().padStart(width, '0');

/** Builds a UPID (tests and fixtures). */
export function formatUpid(u: Omit<Upid, 'upid' | 'tokenId'>): string {
  return `UPID:${u.node}:${hex(u.pid, 8)}:${hex(u.pstart, 8)}:${hex(u.starttime, 8)}:${u.type}:${u.id}:${u.user}:`;
}
