/**
 * Test support for trusted_ca_keys (not exported from the package): node:tls cannot send the extension
 * (RFC 6066 §6), so a ClientHello node:tls sends is caught on loopback, the extension spliced in and the
 * result sent from a plain TCP socket; the SECC's TLS 1.2 Certificate message tells which chain came back.
 */
import { createServer, connect as netConnect, type Socket } from "node:net";
import { connect as tlsRawConnect } from "node:tls";
import {
  type ClientHello,
  EXT_TRUSTED_CA_KEYS,
  encodeClientHello,
  encodeHandshakeRecords,
  encodeTrustedCaKeys,
  readClientHello,
  type TrustedAuthority,
} from "../v2g/tls/client-hello.js";
import { LOOPBACK } from "./test-support.js";

/** A ClientHello node:tls sends (TLS 1.2 ISO 15118-2 profile, or TLS 1.3 when `v13`), caught on loopback. */
export async function nodeClientHello(v13 = false): Promise<ClientHello> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, LOOPBACK, r));
  const port = (srv.address() as { port: number }).port;
  const got = new Promise<ClientHello>((resolve, reject) => {
    srv.once("connection", (s: Socket) => {
      let buf = Buffer.alloc(0);
      s.on("data", (d: Buffer) => {
        buf = Buffer.concat([buf, d]);
        try {
          const r = readClientHello(buf);
          if (r.kind === "hello") {
            s.destroy();
            resolve(r.hello);
          }
        } catch (e) {
          reject(e);
        }
      });
    });
  });
  const c = tlsRawConnect({
    host: LOOPBACK,
    port,
    ...(v13
      ? { minVersion: "TLSv1.3", maxVersion: "TLSv1.3", ecdhCurve: "secp521r1" }
      : { minVersion: "TLSv1.2", maxVersion: "TLSv1.2", ciphers: "ECDHE-ECDSA-AES128-SHA256" }),
  });
  c.on("error", () => {});
  try {
    return await got;
  } finally {
    c.destroy();
    srv.close();
  }
}

/** `hello` with a trusted_ca_keys extension listing `list`, as TLS records cut at `sizes`. */
export function withTrustedCaKeys(
  hello: ClientHello,
  list: TrustedAuthority[],
  sizes: number[] = [],
): Uint8Array {
  const extensions = [
    ...(hello.extensions ?? []).filter((x) => x.type !== EXT_TRUSTED_CA_KEYS),
    { type: EXT_TRUSTED_CA_KEYS, data: encodeTrustedCaKeys(list) },
  ];
  return encodeHandshakeRecords(encodeClientHello({ ...hello, extensions }), sizes);
}

/** The complete handshake messages in a server's plaintext first flight (TLS 1.2). */
function serverMessages(stream: Buffer): { type: number; body: Buffer }[] {
  const hs: Buffer[] = [];
  for (let o = 0; o + 5 <= stream.length; ) {
    const len = stream.readUInt16BE(o + 3);
    if (o + 5 + len > stream.length) break;
    if (stream[o] === 22) hs.push(stream.subarray(o + 5, o + 5 + len));
    o += 5 + len;
  }
  const all = Buffer.concat(hs);
  const out: { type: number; body: Buffer }[] = [];
  for (let o = 0; o + 4 <= all.length; ) {
    const n = all.readUIntBE(o + 1, 3);
    if (o + 4 + n > all.length) break;
    out.push({ type: all[o]!, body: all.subarray(o + 4, o + 4 + n) });
    o += 4 + n;
  }
  return out;
}

/**
 * Send `bytes` (in `segments` TCP writes) and return the leaf of the server's TLS 1.2 Certificate message
 * (RFC 5246 §7.4.2), or, with `anyAnswer`, resolve once any answer arrives (TLS 1.3: it is encrypted).
 */
export function sendHello(
  port: number,
  bytes: Uint8Array,
  segments = 1,
  anyAnswer = false,
): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const s = netConnect({ host: LOOPBACK, port });
    let got = Buffer.alloc(0);
    const timer = setTimeout(() => {
      s.destroy();
      reject(new Error("no Certificate within 3 s"));
    }, 3000);
    s.on("error", reject);
    s.on("data", (d: Buffer) => {
      got = Buffer.concat([got, d]);
      if (anyAnswer) {
        clearTimeout(timer);
        s.destroy();
        resolve(new Uint8Array(0));
        return;
      }
      const cert = serverMessages(got).find((m) => m.type === 11);
      if (!cert) return;
      clearTimeout(timer);
      s.destroy();
      const n = cert.body.readUIntBE(3, 3);
      resolve(new Uint8Array(cert.body.subarray(6, 6 + n)));
    });
    s.once("connect", async () => {
      const step = Math.ceil(bytes.length / segments);
      for (let o = 0; o < bytes.length; o += step) {
        s.write(bytes.subarray(o, o + step));
        await new Promise((r) => setTimeout(r, 5));
      }
    });
  });
}
