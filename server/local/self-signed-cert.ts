/**
 * A self-signed TLS certificate for the local stand-ins that must be served over https (the Entra ID
 * stand-in: MSAL refuses an http authority). Node makes keys and signs, but has no X.509 writer, so the
 * certificate (RFC 5280) is encoded here in DER: a few dozen lines rather than a dependency.
 */
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { isIP } from 'node:net';

type Der = Buffer;

function tagged(tag: number, content: Buffer): Der {
  const n = content.length;
  const length = n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), length, content]);
}

const sequence = (...items: Der[]) => tagged(0x30, Buffer.concat(items));
const set = (...items: Der[]) => tagged(0x31, Buffer.concat(items));
const explicit = (n: number, item: Der) => tagged(0xa0 + n, item);
const bitString = (bytes: Buffer) => tagged(0x03, Buffer.concat([Buffer.from([0]), bytes]));
const octetString = (bytes: Buffer) => tagged(0x04, bytes);
const utf8 = (text: string) => tagged(0x0c, Buffer.from(text, 'utf8'));
const boolTrue = tagged(0x01, Buffer.from([0xff]));

/** A positive INTEGER: a leading zero byte when the top bit is set. */
const positiveInteger = (bytes: Buffer) => tagged(0x02, bytes[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);

function oid(dotted: string): Der {
  const [first, second, ...rest] = dotted.split('.').map(Number) as [number, number, ...number[]];
  const bytes = [40 * first + second];
  for (const arc of rest) {
    const base128 = [arc & 0x7f];
    for (let v = arc >>> 7; v > 0; v >>>= 7) base128.unshift((v & 0x7f) | 0x80);
    bytes.push(...base128);
  }
  return tagged(0x06, Buffer.from(bytes));
}

/** UTCTime (YYMMDDHHMMSSZ) through 2049, as RFC 5280 asks. */
const utcTime = (date: Date) => tagged(0x17, Buffer.from(date.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z', 'ascii'));

const SHA256_WITH_RSA = sequence(oid('1.2.840.113549.1.1.11'), tagged(0x05, Buffer.alloc(0)));

function subjectAltName(hosts: readonly string[]): Der {
  const names = hosts.map((host) => {
    if (isIP(host) === 6) throw new Error(`IPv6 names are not supported here: ${host}`);
    return isIP(host) === 4 ? tagged(0x87, Buffer.from(host.split('.').map(Number))) : tagged(0x82, Buffer.from(host, 'ascii')); // iPAddress, dNSName
  });
  return sequence(...names);
}

export interface TlsCredentials {
  /** PEM, PKCS#8. */
  key: string;
  /** PEM: also what a client trusts to reach the server (it is its own issuer). */
  cert: string;
}

/**
 * An RSA key and a certificate for `hosts` (DNS names and IPv4 literals, e.g. localhost and 127.0.0.1), valid
 * from a minute ago for `days`. Made in memory at each start and never written anywhere.
 */
export function selfSignedCertificate(hosts: readonly string[], days = 30, now = new Date()): TlsCredentials {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const name = sequence(set(sequence(oid('2.5.4.3'), utf8(`Credit Desk local (${hosts[0] ?? 'localhost'})`))));
  const extension = (id: string, critical: boolean, value: Der) => sequence(oid(id), ...(critical ? [boolTrue] : []), octetString(value));
  const tbs = sequence(
    explicit(0, positiveInteger(Buffer.from([2]))), // v3
    positiveInteger(randomBytes(16)),
    SHA256_WITH_RSA,
    name,
    sequence(utcTime(new Date(now.getTime() - 60_000)), utcTime(new Date(now.getTime() + days * 86_400_000))),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
    explicit(
      3,
      sequence(
        extension('2.5.29.19', true, sequence()), // basicConstraints: not a CA
        extension('2.5.29.15', true, bitString(Buffer.from([0xa0]))), // keyUsage: digitalSignature, keyEncipherment
        extension('2.5.29.37', false, sequence(oid('1.3.6.1.5.5.7.3.1'))), // extKeyUsage: serverAuth
        extension('2.5.29.17', false, subjectAltName(hosts)),
      ),
    ),
  );
  const certificate = sequence(tbs, SHA256_WITH_RSA, bitString(sign('sha256', tbs, privateKey)));
  const base64 = certificate.toString('base64').replace(/.{64}/g, '$&\n').trimEnd();
  return {
    key: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    cert: `-----BEGIN CERTIFICATE-----\n${base64}\n-----END CERTIFICATE-----\n`,
  };
}
