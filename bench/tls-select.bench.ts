/**
 * What choosing the SECC chain by trusted_ca_keys (ISO 15118-2 [V2G2-871], RFC 6066 §6) and OCSP stapling
 * cost the TLS 1.2 handshake on [::1]. Interleaved, one handshake at a time, median and p90 of each:
 * - full handshake (tlsConnect → secure) with one chain (the TLS server listens itself) against three
 *   chains with roots (the ClientHello is read and the socket handed to a server chosen per connection);
 * - ClientHello with trusted_ca_keys sent → server Certificate received, on the same two servers;
 * - full handshake with the EVCC asking for and checking the stapled OCSP response, against not asking.
 */
import { createHash, X509Certificate } from "node:crypto";
import { startTlsServer, tlsConnect, type V2gServer } from "../src/link/index.js";
import { issueOcspResponse } from "../src/link/pki/ocsp.js";
import { nodeClientHello, sendHello, withTrustedCaKeys } from "../src/link/tls-test-support.js";
import { makeTestPki } from "../tools/pki/make-test-pki.js";
import type { BenchResult } from "./types.js";

const ROUNDS = 150;
const WARMUP = 15;
const host = "::1";

function stats(xs: number[]) {
  const s = xs.slice(WARMUP).sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  const r = (x: number) => Math.round(x * 1000) / 1000;
  return { median: r(at(0.5)), p90: r(at(0.9)), n: s.length };
}

export async function run(): Promise<BenchResult[]> {
  const pkis = [makeTestPki(), makeTestPki(), makeTestPki()];
  const [a] = pkis as [ReturnType<typeof makeTestPki>];
  const staple = issueOcspResponse({
    cert: a.seccLeaf.certDer,
    issuer: a.cpoSubCa2.certDer,
    signerKey: a.cpoSubCa2.keyPem,
    thisUpdate: new Date(Date.now() - 60_000),
    nextUpdate: new Date(Date.now() + 7 * 86_400_000),
  });
  const one: V2gServer = await startTlsServer({
    host,
    port: 0,
    tls: { key: a.seccLeaf.keyPem, cert: a.seccChainPem, ocsp: staple },
  });
  const three: V2gServer = await startTlsServer({
    host,
    port: 0,
    tls: {
      key: a.seccLeaf.keyPem,
      cert: a.seccChainPem,
      root: a.v2gRoot.certPem,
      ocsp: staple,
      chains: pkis
        .slice(1)
        .map((p) => ({ key: p.seccLeaf.keyPem, cert: p.seccChainPem, root: p.v2gRoot.certPem })),
    },
  });
  for (const s of [one, three]) s.onConnection((c) => c.close());
  const handshake = async (port: number, ocsp: "off" | "require") => {
    const t0 = performance.now();
    const c = await tlsConnect({ host, port, tls: { ca: a.v2gRoot.certPem, ocsp } });
    const ms = performance.now() - t0;
    c.close();
    return ms;
  };
  const hello = await nodeClientHello();
  const third = pkis[2]!;
  const sha1 = new Uint8Array(
    createHash("sha1").update(new X509Certificate(third.v2gRoot.certPem).raw).digest(),
  );
  const crafted = withTrustedCaKeys(hello, [{ kind: "cert_sha1_hash", sha1 }]);
  const toCertificate = async (port: number) => {
    const t0 = performance.now();
    await sendHello(port, crafted);
    return performance.now() - t0;
  };
  const t = { one: [] as number[], three: [] as number[], c1: [] as number[], c3: [] as number[] };
  const o = { off: [] as number[], require: [] as number[] };
  try {
    for (let i = 0; i < ROUNDS; i++) {
      t.one.push(await handshake(one.local.port, "off"));
      t.three.push(await handshake(three.local.port, "off"));
      t.c1.push(await toCertificate(one.local.port));
      t.c3.push(await toCertificate(three.local.port));
      o.off.push(await handshake(one.local.port, "off"));
      o.require.push(await handshake(one.local.port, "require"));
    }
  } finally {
    await one.close();
    await three.close();
  }
  const out: BenchResult[] = [];
  const add = (name: string, xs: number[]) => {
    const s = stats(xs);
    out.push({
      name: `${name} (median)`,
      value: s.median,
      unit: "ms",
      detail: { p90: s.p90, handshakes: s.n },
    });
  };
  add("TLS 1.2 handshake, one chain (no ClientHello peek)", t.one);
  add("TLS 1.2 handshake, three chains chosen by trusted_ca_keys (EVCC without the extension)", t.three);
  add("ClientHello with trusted_ca_keys → Certificate, one chain", t.c1);
  add("ClientHello with trusted_ca_keys → Certificate, three chains (chain 2 chosen)", t.c3);
  add("TLS 1.2 handshake, EVCC ocsp off", o.off);
  add("TLS 1.2 handshake, EVCC ocsp require (staple checked)", o.require);
  return out;
}
