// Errors as the Proxmox API server raises them (pve-common PVE::Exception): the status line carries
// the first line of the message, the JSON body carries the message with a trailing newline and,
// for parameter errors, an `errors` map. Messages live here as named factories.

export class PveHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: Record<string, string>,
  ) {
    super(message);
    this.name = 'PveHttpError';
  }
}

export const PveError = {
  params: (errors: Record<string, string>) => new PveHttpError(400, 'Parameter verification failed.', errors),
  param: (name: string, message: string) =>
    new PveHttpError(400, 'Parameter verification failed.', { [name]: message }),
  noTicket: () => new PveHttpError(401, 'No ticket'),
  authFailed: () => new PveHttpError(401, 'Authentication failed!'),
  authFailure: () => new PveHttpError(401, 'authentication failure'),
  permission: (path?: string, privs?: string[]) =>
    new PveHttpError(
      403,
      path ? `Permission check failed (${path}, ${(privs ?? []).join('|')})` : 'Permission check failed',
    ),
  csrf: () => new PveHttpError(401, 'Permission denied - invalid csrf token'),
  tokenNotAllowed: (path: string) =>
    new PveHttpError(403, `URI '${path}' not available with API token, need proper ticket.`),
  notImplemented: (method: string, path: string) => new PveHttpError(501, `Method '${method} ${path}' not implemented`),
  internal: (message: string) => new PveHttpError(500, message),
  vmConfigMissing: (node: string, vmid: number, type: 'qemu' | 'lxc') =>
    new PveHttpError(
      500,
      `Configuration file 'nodes/${node}/${type === 'qemu' ? 'qemu-server' : 'lxc'}/${vmid}.conf' does not exist`,
    ),
  nodeOffline: (node: string) => new PveHttpError(595, `Connection refused (node '${node}' is offline)`),
  noSuchNode: (node: string) =>
    new PveHttpError(
      500,
      `hostname lookup '${node}' failed - failed to get address info for: ${node}: Name or service not known`,
    ),
  injected: (status: number, message: string) => new PveHttpError(status, message),
};
