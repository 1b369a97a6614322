// The two halves of the RFB security phase the console proxy terminates (RFC 6143 §7.1-7.2): it is
// the *server* towards the browser (VNC Authentication with the session's one-time password) and
// the *client* towards Proxmox (VNC Authentication with vncproxy's `password ?? ticket`). After both
// SecurityResults are OK the bytes from ClientInit on are relayed untouched, so the browser never
// learns the Proxmox password or ticket.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { vncAuthResponse } from '@pvepaas/orchestration/pve-sim/console/des';
import type { ByteStream } from './console.socket.js';

const RFB_38 = 'RFB 003.008\n';
const VNC_AUTH = 2;

export class RfbError extends Error {
  constructor(
    message: string,
    /** true: the peer gave a wrong password (as opposed to a protocol or transport failure). */
    readonly authFailed = false,
  ) {
    super(message);
    this.name = 'RfbError';
  }
}

const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};

async function readReason(io: ByteStream, timeoutMs: number): Promise<string> {
  const length = (await io.read(4, timeoutMs)).readUInt32BE(0);
  return (await io.read(Math.min(length, 4096), timeoutMs)).toString('utf8');
}

/** Proxy → Proxmox: the client side, up to a successful SecurityResult. */
export async function authenticateUpstream(io: ByteStream, password: string, timeoutMs = 10_000): Promise<void> {
  const version = (await io.read(12, timeoutMs)).toString('latin1');
  if (!/^RFB 003\.00[378]\n$/.test(version))
    throw new RfbError(`the console spoke ${JSON.stringify(version)}, not RFB`);
  if (version !== RFB_38) throw new RfbError(`the console offers ${version.trim()}; only RFB 3.8 is proxied`);
  io.send(RFB_38);
  const count = (await io.read(1, timeoutMs)).readUInt8(0);
  if (count === 0) throw new RfbError(`the console refused the connection: ${await readReason(io, timeoutMs)}`);
  const types = [...(await io.read(count, timeoutMs))];
  if (!types.includes(VNC_AUTH))
    throw new RfbError(`the console offers security types ${types.join(',')}, not VNC Authentication`);
  io.send(Buffer.from([VNC_AUTH]));
  const challenge = await io.read(16, timeoutMs);
  io.send(vncAuthResponse(password, challenge));
  if ((await io.read(4, timeoutMs)).readUInt32BE(0) !== 0) {
    throw new RfbError(`Proxmox refused the console password: ${await readReason(io, timeoutMs)}`);
  }
}

/**
 * Browser → proxy: the server side. Offers only VNC Authentication and checks the response against
 * the session's password; on failure answers SecurityResult 1 with a reason, as RFB 3.8 does.
 */
export async function authenticateBrowser(io: ByteStream, password: string, timeoutMs = 30_000): Promise<void> {
  io.send(RFB_38);
  const version = (await io.read(12, timeoutMs)).toString('latin1');
  if (version !== RFB_38)
    throw new RfbError(`the viewer asked for ${JSON.stringify(version)}; only RFB 3.8 is supported`);
  io.send(Buffer.from([1, VNC_AUTH]));
  const chosen = (await io.read(1, timeoutMs)).readUInt8(0);
  if (chosen !== VNC_AUTH) throw new RfbError(`the viewer chose security type ${chosen}, not VNC Authentication`);
  const challenge = randomBytes(16);
  io.send(challenge);
  const response = await io.read(16, timeoutMs);
  if (!timingSafeEqual(response, vncAuthResponse(password, challenge))) {
    const reason = Buffer.from('Authentication failed', 'utf8');
    io.send(Buffer.concat([u32(1), u32(reason.length), reason]));
    throw new RfbError('the viewer answered the VNC challenge with a wrong password', true);
  }
  io.send(u32(0));
}
