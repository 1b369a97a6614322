// A minimal RFB client written from RFC 6143 for the tests, independent of the server code: its
// VNC Authentication uses OpenSSL's triple DES with three equal keys (single DES) when available.
import { createCipheriv, getCiphers } from 'node:crypto';
import { vncAuthResponse } from '../des.js';
import type { ByteSocket } from './console-server.js';

export interface ServerInit {
  width: number;
  height: number;
  pixelFormat: Buffer;
  name: string;
}

export class RfbAuthFailed extends Error {
  constructor(readonly reason: string) {
    super(`VNC authentication failed: ${reason}`);
  }
}

const reverseBits = (byte: number) => parseInt(byte.toString(2).padStart(8, '0').split('').reverse().join(''), 2);

export const clientAuthResponse = (password: string, challenge: Buffer): Buffer => {
  if (!getCiphers().includes('des-ede3-ecb')) return vncAuthResponse(password, challenge);
  const key = Buffer.alloc(8);
  Buffer.from(password, 'latin1').copy(key, 0, 0, 8);
  const reversed = Buffer.from(key.map(reverseBits));
  const cipher = createCipheriv('des-ede3-ecb', Buffer.concat([reversed, reversed, reversed]), null);
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(challenge), cipher.final()]);
};

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export class RfbClient {
  width = 0;
  height = 0;
  bytesPerPixel = 4;
  /** The client's copy of the framebuffer, in its current pixel format. */
  framebuffer = Buffer.alloc(0);
  colourMap: number[][] = [];

  constructor(readonly socket: ByteSocket) {}

  /** ProtocolVersion, security, VNC Authentication, ClientInit, ServerInit. */
  async handshake(password: string, version = 'RFB 003.008\n'): Promise<ServerInit> {
    const serverVersion = (await this.socket.read(12)).toString('latin1');
    if (serverVersion !== 'RFB 003.008\n') throw new Error(`unexpected server version ${serverVersion}`);
    this.socket.send(Buffer.from(version, 'latin1'));
    if (version === 'RFB 003.003\n') {
      const type = (await this.socket.read(4)).readUInt32BE(0);
      if (type !== 2) throw new Error(`server chose security type ${type}`);
    } else {
      const count = (await this.socket.read(1)).readUInt8(0);
      const types = [...(await this.socket.read(count))];
      if (!types.includes(2)) throw new Error(`no VNC Authentication in ${types.join(',')}`);
      this.socket.send(Buffer.from([2]));
    }
    const challenge = await this.socket.read(16);
    this.socket.send(clientAuthResponse(password, challenge));
    const result = (await this.socket.read(4)).readUInt32BE(0);
    if (result !== 0) {
      if (version !== 'RFB 003.008\n') throw new RfbAuthFailed('');
      const length = (await this.socket.read(4)).readUInt32BE(0);
      throw new RfbAuthFailed((await this.socket.read(length)).toString('latin1'));
    }
    this.socket.send(Buffer.from([1])); // ClientInit, shared
    const init = await this.socket.read(24);
    const nameLength = init.readUInt32BE(20);
    const name = (await this.socket.read(nameLength)).toString('utf8');
    this.width = init.readUInt16BE(0);
    this.height = init.readUInt16BE(2);
    this.bytesPerPixel = init.readUInt8(4) / 8;
    this.framebuffer = Buffer.alloc(this.width * this.height * this.bytesPerPixel);
    return { width: this.width, height: this.height, pixelFormat: init.subarray(4, 20), name };
  }

  setPixelFormat(format: Buffer): void {
    this.socket.send(Buffer.concat([Buffer.from([0, 0, 0, 0]), format]));
    this.bytesPerPixel = format.readUInt8(0) / 8;
    this.framebuffer = Buffer.alloc(this.width * this.height * this.bytesPerPixel);
  }

  setEncodings(encodings: number[]): void {
    const message = Buffer.alloc(4 + 4 * encodings.length);
    message.writeUInt8(2, 0);
    message.writeUInt16BE(encodings.length, 2);
    encodings.forEach((encoding, i) => message.writeInt32BE(encoding, 4 + 4 * i));
    this.socket.send(message);
  }

  requestUpdate(incremental: boolean, rect: Rect = { x: 0, y: 0, width: this.width, height: this.height }): void {
    const message = Buffer.alloc(10);
    message.writeUInt8(3, 0);
    message.writeUInt8(incremental ? 1 : 0, 1);
    message.writeUInt16BE(rect.x, 2);
    message.writeUInt16BE(rect.y, 4);
    message.writeUInt16BE(rect.width, 6);
    message.writeUInt16BE(rect.height, 8);
    this.socket.send(message);
  }

  key(keysym: number, down: boolean): void {
    const message = Buffer.alloc(8);
    message.writeUInt8(4, 0);
    message.writeUInt8(down ? 1 : 0, 1);
    message.writeUInt32BE(keysym, 4);
    this.socket.send(message);
  }

  /** Presses and releases the key of each character. */
  type(text: string): void {
    for (const char of text) {
      this.key(char.charCodeAt(0), true);
      this.key(char.charCodeAt(0), false);
    }
  }

  pointer(x: number, y: number, buttons: number): void {
    const message = Buffer.alloc(6);
    message.writeUInt8(5, 0);
    message.writeUInt8(buttons, 1);
    message.writeUInt16BE(x, 2);
    message.writeUInt16BE(y, 4);
    this.socket.send(message);
  }

  cutText(text: string): void {
    const bytes = Buffer.from(text, 'latin1');
    const head = Buffer.alloc(8);
    head.writeUInt8(6, 0);
    head.writeUInt32BE(bytes.length, 4);
    this.socket.send(Buffer.concat([head, bytes]));
  }

  /**
   * Reads server messages until a FramebufferUpdate, applying SetColourMapEntries on the way;
   * copies its Raw rectangles into the local framebuffer and returns them.
   */
  async readUpdate(): Promise<Rect[]> {
    for (;;) {
      const type = (await this.socket.read(1)).readUInt8(0);
      if (type === 1) {
        const head = await this.socket.read(5);
        const first = head.readUInt16BE(1);
        const count = head.readUInt16BE(3);
        const data = await this.socket.read(6 * count);
        for (let i = 0; i < count; i++) {
          this.colourMap[first + i] = [
            data.readUInt16BE(6 * i),
            data.readUInt16BE(6 * i + 2),
            data.readUInt16BE(6 * i + 4),
          ];
        }
        continue;
      }
      if (type !== 0) throw new Error(`unexpected server message type ${type}`);
      const count = (await this.socket.read(3)).readUInt16BE(1);
      const rects: Rect[] = [];
      for (let i = 0; i < count; i++) {
        const header = await this.socket.read(12);
        const rect = {
          x: header.readUInt16BE(0),
          y: header.readUInt16BE(2),
          width: header.readUInt16BE(4),
          height: header.readUInt16BE(6),
        };
        const encoding = header.readInt32BE(8);
        if (encoding !== 0) throw new Error(`unexpected encoding ${encoding}`);
        const data = await this.socket.read(rect.width * rect.height * this.bytesPerPixel);
        const rowBytes = rect.width * this.bytesPerPixel;
        for (let row = 0; row < rect.height; row++) {
          data.copy(
            this.framebuffer,
            ((rect.y + row) * this.width + rect.x) * this.bytesPerPixel,
            row * rowBytes,
            (row + 1) * rowBytes,
          );
        }
        rects.push(rect);
      }
      return rects;
    }
  }

  /** The raw pixel bytes at (x, y) as hex, e.g. `aaaaaa00`. */
  pixelHex(x: number, y: number): string {
    const offset = (y * this.width + x) * this.bytesPerPixel;
    return this.framebuffer.toString('hex', offset, offset + this.bytesPerPixel);
  }
}
