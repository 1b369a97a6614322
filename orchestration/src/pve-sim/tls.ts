// A self-signed certificate generated at start (ECDSA P-256, X.509 v3 with subjectAltName for
// localhost and the listen address), so `tls: true` needs neither openssl nor a dependency.
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { isIP } from 'node:net';

const tlv = (tag: number, content: Buffer): Buffer => {
  const len = content.length;
  const head =
    len < 0x80
      ? Buffer.from([tag, len])
      : len < 0x100
        ? Buffer.from([tag, 0x81, len])
        : Buffer.from([tag, 0x82, len >> 8, len & 0xff]);
  return Buffer.concat([head, content]);
};
const seq = (...items: Buffer[]) => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]) => tlv(0x31, Buffer.concat(items));
const int = (bytes: Buffer) =>
  tlv(0x02, bytes[0] !== undefined && bytes[0] & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);
const utf8 = (s: string) => tlv(0x0c, Buffer.from(s, 'utf8'));
const octets = (b: Buffer) => tlv(0x04, b);
const bits = (b: Buffer) => tlv(0x03, Buffer.concat([Buffer.from([0]), b]));
const oid = (dotted: string) => {
  const [a = 0, b = 0, ...rest] = dotted.split('.').map(Number);
  const out = [40 * a + b];
  for (const n of rest) {
    const chunk = [n & 0x7f];
    for (let v = n >>> 7; v > 0; v >>>= 7) chunk.unshift((v & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
};
const utcTime = (d: Date) => tlv(0x17, Buffer.from(d.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z'));
const name = (cn: string, o: string) => seq(set(seq(oid('2.5.4.10'), utf8(o))), set(seq(oid('2.5.4.3'), utf8(cn))));

export interface SelfSigned {
  keyPem: string;
  certPem: string;
  /** SHA-256 of the DER certificate, colon-separated upper-case hex, as PVE shows it. */
  fingerprint: string;
}

export function selfSignedCertificate(host: string, now = new Date()): SelfSigned {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const alg = seq(oid('1.2.840.10045.4.3.2'));
  const altNames = [tlv(0x82, Buffer.from('localhost'))];
  const hosts = new Set([host, '127.0.0.1']);
  for (const h of hosts) {
    if (isIP(h) === 4) altNames.push(tlv(0x87, Buffer.from(h.split('.').map(Number))));
    else if (!isIP(h) && h !== 'localhost') altNames.push(tlv(0x82, Buffer.from(h)));
  }
  const extensions = tlv(
    0xa3,
    seq(seq(oid('2.5.29.17'), octets(seq(...altNames))), seq(oid('2.5.29.19'), octets(seq()))),
  );
  const notAfter = new Date(now.getTime() + 2 * 365 * 86400_000);
  const tbs = seq(
    tlv(0xa0, int(Buffer.from([2]))),
    int(createHash('sha256').update(spki).digest().subarray(0, 16)),
    alg,
    name('pve-sim', 'PVE Cluster Node'),
    seq(utcTime(new Date(now.getTime() - 86400_000)), utcTime(notAfter)),
    name('pve-sim', 'PVE Cluster Node'),
    spki,
    extensions,
  );
  const signature = sign('sha256', tbs, privateKey);
  const der = seq(tbs, alg, bits(signature));
  const certPem = `-----BEGIN CERTIFICATE-----\n${der
    .toString('base64')
    .match(/.{1,64}/g)
    ?.join('\n')}\n-----END CERTIFICATE-----\n`;
  const fingerprint = createHash('sha256').update(der).digest('hex').toUpperCase().match(/../g)?.join(':') ?? '';
  return { keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), certPem, fingerprint };
}
