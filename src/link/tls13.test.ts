import assert from "node:assert/strict";
import { createHash, X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { connect as rawTlsConnect, type TLSSocket } from "node:tls";
import fc from "fast-check";
import { issue, makeTestPki, type TestPki } from "../../tools/pki/make-test-pki.js";
import { V2gtpPayloadType } from "../v2g/index.js";
import { LinkError, TlsTrustError } from "./errors.js";
import { createCaptureLogger } from "./logger.js";
import { echo, firstConnection, LOOPBACK, nextMessages, rawSocket, socketClosed } from "./test-support.js";
import { startTlsServer, type TlsClientConfig, type TlsServerConfig, tlsConnect } from "./tls.js";
import {
  clientHelloVersions,
  ISO15118_20_TLS_SIGALGS,
  iso20AllowedOn,
  TLS12_WIRE_VERSION,
  TLS13_WIRE_VERSION,
} from "./tls13.js";
import type { ServerRefusal, V2gServer } from "./types.js";

const EXI = V2gtpPayloadType.exi;
let pki: TestPki;
let dir: string;

before(() => {
  pki = makeTestPki({ seccId: "ZZNACS20", evccId: "ZZEV20VEHICLE01" });
  dir = mkdtempSync(join(tmpdir(), "nacs-tls13-"));
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** The -20 SECC material of the test PKI (mutual TLS against the OEM root). */
function tls13Material(over: Partial<NonNullable<TlsServerConfig["tls13"]>> = {}) {
  return {
    key: pki.iso20.seccLeaf.keyPem,
    cert: pki.iso20.seccChainPem,
    clientCa: pki.iso20.oemRoot.certPem,
    ...over,
  };
}

async function server(
  tls: Partial<TlsServerConfig>,
  refused: ServerRefusal[] = [],
  logger = createCaptureLogger(),
): Promise<V2gServer> {
  const s = await startTlsServer({
    host: LOOPBACK,
    port: 0,
    logger,
    tls: { key: pki.seccLeaf.keyPem, cert: pki.seccChainPem, ...tls },
  });
  s.onRefused?.((r) => refused.push(r));
  echo(s);
  return s;
}

/** EVCC with the vehicle certificate, trusting the -20 V2G root. */
function client13(over: Partial<TlsClientConfig> = {}): TlsClientConfig {
  return {
    ca: pki.iso20.v2gRoot.certPem,
    versions: ["1.3"],
    cert: pki.iso20.vehicleChainPem,
    key: pki.iso20.vehicleLeaf.keyPem,
    ...over,
  };
}

async function roundTrip(s: V2gServer, tls: TlsClientConfig) {
  const accepted = firstConnection(s);
  const c = await tlsConnect({ host: LOOPBACK, port: s.local.port, tls });
  const reply = nextMessages(c, 1);
  c.send(EXI, Uint8Array.of(0x80, 0x20, 0x13));
  assert.deepEqual([...(await reply)[0]!.payload], [0x80, 0x20, 0x13]);
  const srv = await accepted;
  c.close();
  await c.closed;
  return { client: c.tls!, server: srv.tls! };
}

test(
  "tls13: ISO 15118-20 mutual TLS — TLS 1.3, TLS_AES_256_GCM_SHA384, SECC CN, vehicle CN verified; NSS TLS 1.3 key-log lines",
  { timeout: 10_000 },
  async () => {
    const clientLog = join(dir, "c13.keylog");
    const serverLog = join(dir, "s13.keylog");
    const s = await server({ versions: ["1.3"], tls13: tls13Material(), keylogFile: serverLog });
    try {
      const { client, server: srv } = await roundTrip(s, client13({ keylogFile: clientLog }));
      const { peerCertSha512: seccCert, ...clientRest } = client ?? {};
      const { peerCertSha512: vehicleCert, ...srvRest } = srv ?? {};
      assert.deepEqual(clientRest, {
        protocol: "TLSv1.3",
        cipher: "TLS_AES_256_GCM_SHA384",
        peerCommonName: "ZZNACS20",
      });
      assert.deepEqual(srvRest, {
        protocol: "TLSv1.3",
        cipher: "TLS_AES_256_GCM_SHA384",
        peerCommonName: "ZZEV20VEHICLE01",
        peerAuthorized: true,
      });
      // each side knows its peer's leaf by its SHA-512 (the SECC tells a resuming EVCC by it, [V2G20-2545])
      const sha512 = (pem: string) => createHash("sha512").update(new X509Certificate(pem).raw).digest("hex");
      assert.equal(vehicleCert, sha512(pki.iso20.vehicleLeaf.certPem));
      assert.equal(seccCert, sha512(pki.iso20.seccLeaf.certPem));
      const labels = (f: string) =>
        readFileSync(f, "utf8")
          .trim()
          .split("\n")
          .map((l) => {
            assert.match(l, /^[A-Z_0-9]+ [0-9a-f]{64} [0-9a-f]{96}$/, "SHA-384 secrets (48 bytes)");
            return l.split(" ")[0];
          })
          .sort();
      const want = [
        "CLIENT_HANDSHAKE_TRAFFIC_SECRET",
        "CLIENT_TRAFFIC_SECRET_0",
        "EXPORTER_SECRET",
        "SERVER_HANDSHAKE_TRAFFIC_SECRET",
        "SERVER_TRAFFIC_SECRET_0",
      ];
      assert.deepEqual(labels(clientLog), want);
      assert.deepEqual(labels(serverLog), want);
      // Both ends log the same secrets (in their own order).
      const sorted = (f: string) => readFileSync(f, "utf8").trim().split("\n").sort();
      assert.deepEqual(sorted(clientLog), sorted(serverLog));
    } finally {
      await s.close();
    }
  },
);

test(
  "tls13: the handshake uses a Table 7 group (secp256r1 alone fails) and only Table 8 signature schemes are shared",
  { timeout: 10_000 },
  async () => {
    const s = await server({ versions: ["1.3"], tls13: tls13Material({ requireClientCert: false }) });
    try {
      const sock = await new Promise<TLSSocket>((resolve, reject) => {
        const t = rawTlsConnect({
          host: LOOPBACK,
          port: s.local.port,
          ca: pki.iso20.v2gRoot.certPem,
          minVersion: "TLSv1.3",
          ecdhCurve: "X448:secp521r1:prime256v1",
          checkServerIdentity: () => undefined,
        });
        t.once("secureConnect", () => resolve(t));
        t.once("error", reject);
      });
      // A Table 7 group: the only ones the SECC allows…
      const eph = sock.getEphemeralKeyInfo() as { name?: string };
      assert.ok(["secp521r1", "X448"].includes(eph.name ?? ""), `group ${eph.name}`);
      // …and the SECC signed with ecdsa_secp521r1_sha512 (its leaf is P-521).
      // Shared schemes = the client's offer ∩ the SECC's Table 8 list, in OpenSSL's names.
      const shared = (sock as TLSSocket & { getSharedSigalgs(): string[] }).getSharedSigalgs();
      assert.deepEqual(shared, ["ECDSA+SHA512", "Ed448+UNDEF"], `Table 8 = ${ISO15118_20_TLS_SIGALGS}`);
      sock.destroy();
      // …so a client offering only secp256r1 fails the handshake.
      const err = await new Promise<Error>((resolve) => {
        const t = rawTlsConnect({
          host: LOOPBACK,
          port: s.local.port,
          ca: pki.iso20.v2gRoot.certPem,
          minVersion: "TLSv1.3",
          ecdhCurve: "prime256v1",
          checkServerIdentity: () => undefined,
        });
        t.once("secureConnect", () => resolve(new Error("unexpected session")));
        t.once("error", resolve);
      });
      assert.doesNotMatch(err.message, /unexpected/);
    } finally {
      await s.close();
    }
  },
);

test("tls13: Ed448 SECC leaf ([V2G20-2319]) is served and accepted", { timeout: 10_000 }, async () => {
  const s = await server({
    versions: ["1.3"],
    tls13: tls13Material({ key: pki.iso20.seccEd448Leaf.keyPem, cert: pki.iso20.seccEd448ChainPem }),
  });
  try {
    const { client } = await roundTrip(s, client13());
    assert.equal(client.protocol, "TLSv1.3");
  } finally {
    await s.close();
  }
});

test(
  "tls13: mutual TLS required — a client without a vehicle certificate is refused; optional — served, peerAuthorized false",
  { timeout: 10_000 },
  async () => {
    const refused: ServerRefusal[] = [];
    const s = await server({ versions: ["1.3"], tls13: tls13Material() }, refused);
    try {
      // TLS 1.3: the client finishes first; the server's refusal arrives as an alert / close.
      const c = await tlsConnect({
        host: LOOPBACK,
        port: s.local.port,
        tls: client13({ cert: undefined, key: undefined }),
      }).catch((e: Error) => e);
      if (!(c instanceof Error)) await c.closed;
      for (let i = 0; i < 100 && refused.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      assert.equal(refused.length, 1);
      assert.equal(refused[0]!.kind, "tls-handshake");
      assert.match(refused[0]!.detail, /certificate/i);
      assert.equal(s.connections.size, 0);
      // A vehicle certificate under a root the SECC does not hold: refused too.
      const refused2 = refused.length;
      const c2 = await tlsConnect({
        host: LOOPBACK,
        port: s.local.port,
        tls: client13({ cert: pki.seccChainPem, key: pki.seccLeaf.keyPem }),
      }).catch((e: Error) => e);
      if (!(c2 instanceof Error)) await c2.closed;
      for (let i = 0; i < 100 && refused.length === refused2; i++)
        await new Promise((r) => setTimeout(r, 10));
      assert.equal(refused.length, refused2 + 1);
    } finally {
      await s.close();
    }
    const optional = await server({ versions: ["1.3"], tls13: tls13Material({ requireClientCert: false }) });
    try {
      const { server: srv } = await roundTrip(optional, client13({ cert: undefined, key: undefined }));
      assert.equal(srv.peerAuthorized, false);
      assert.equal(srv.peerCommonName, undefined);
    } finally {
      await optional.close();
    }
  },
);

test(
  "tls13: one port, both versions — a TLS 1.2 EVCC gets the -2 P-256 leaf, a TLS 1.3 EVCC the -20 P-521 leaf, a dual EVCC TLS 1.3 (and TLS 1.2 from a 1.2-only SECC)",
  { timeout: 10_000 },
  async () => {
    const refused: ServerRefusal[] = [];
    const s = await server({ versions: ["1.2", "1.3"], tls13: tls13Material() }, refused);
    try {
      const r12 = await roundTrip(s, { ca: pki.v2gRoot.certPem });
      assert.deepEqual([r12.client.protocol, r12.client.cipher], ["TLSv1.2", "ECDHE-ECDSA-AES128-SHA256"]);
      assert.equal(r12.server.peerAuthorized, undefined, "no client certificate requested on TLS 1.2 (-2)");
      const r13 = await roundTrip(s, client13());
      assert.deepEqual([r13.client.protocol, r13.server.peerCommonName], ["TLSv1.3", "ZZEV20VEHICLE01"]);
      const both = await roundTrip(
        s,
        client13({ versions: ["1.2", "1.3"], ca: [pki.v2gRoot.certPem, pki.iso20.v2gRoot.certPem] }),
      );
      assert.equal(both.client.protocol, "TLSv1.3");
      assert.deepEqual(refused, []);
    } finally {
      await s.close();
    }
    // The dual EVCC against a TLS 1.2-only SECC: TLS 1.2 with the -2 chain (no -20 leaf rules there).
    const s12 = await server({});
    try {
      const r = await roundTrip(
        s12,
        client13({ versions: ["1.2", "1.3"], ca: [pki.v2gRoot.certPem, pki.iso20.v2gRoot.certPem] }),
      );
      assert.deepEqual([r.client.protocol, r.client.peerCommonName], ["TLSv1.2", "ZZNACS20"]);
    } finally {
      await s12.close();
    }
  },
);

test(
  "tls13: a TLS 1.3-only SECC refuses a TLS 1.2 EVCC; a TLS 1.2-only SECC refuses a TLS 1.3 EVCC",
  { timeout: 10_000 },
  async () => {
    const refused: ServerRefusal[] = [];
    const s13 = await server({ versions: ["1.3"], tls13: tls13Material() }, refused);
    try {
      await assert.rejects(
        tlsConnect({ host: LOOPBACK, port: s13.local.port, tls: { ca: pki.v2gRoot.certPem } }),
        (e: unknown) => e instanceof LinkError && e.code === "tls-handshake",
      );
      for (let i = 0; i < 100 && refused.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      assert.match(refused[0]?.detail ?? "", /version|protocol/i);
    } finally {
      await s13.close();
    }
    const s12 = await server({});
    try {
      await assert.rejects(
        tlsConnect({ host: LOOPBACK, port: s12.local.port, tls: client13() }),
        (e: unknown) => e instanceof LinkError && e.code === "tls-handshake",
      );
    } finally {
      await s12.close();
    }
  },
);

test(
  "tls13: the EVCC refuses a TLS 1.3 SECC whose leaf is P-256 (ISO 15118-20 leaf profile), naming the rule",
  { timeout: 10_000 },
  async () => {
    const lax = "ecdsa_secp256r1_sha256:ecdsa_secp521r1_sha512:ed448";
    const s = await server({
      versions: ["1.3"],
      tls13: tls13Material({ key: pki.seccLeaf.keyPem, cert: pki.seccChainPem, sigalgs: lax }),
    });
    try {
      await assert.rejects(
        tlsConnect({
          host: LOOPBACK,
          port: s.local.port,
          tls: client13({ ca: pki.v2gRoot.certPem, sigalgs: lax }),
        }),
        (e: unknown) =>
          e instanceof TlsTrustError &&
          e.code === "SECC_CERT_REJECTED" &&
          /prime256v1.*secp521r1 or Ed448/.test(e.message),
      );
    } finally {
      await s.close();
    }
  },
);

test("tls13: bad configuration names the option and the rule", { timeout: 10_000 }, async () => {
  const base = { host: LOOPBACK, port: 0 };
  const tls = { key: pki.seccLeaf.keyPem, cert: pki.seccChainPem };
  await assert.rejects(
    startTlsServer({ ...base, tls: { ...tls, versions: ["1.4" as "1.3"] } }),
    /tls\.versions: "1\.4" is not a TLS version/,
  );
  await assert.rejects(startTlsServer({ ...base, tls: { ...tls, versions: [] } }), /tls\.versions: empty/);
  await assert.rejects(
    startTlsServer({ ...base, tls: { ...tls, versions: ["1.3", "1.3"] } }),
    /tls\.versions: a version is listed twice/,
  );
  await assert.rejects(
    startTlsServer({ ...base, tls: { ...tls, versions: ["1.3"] } }),
    /tls\.tls13: TLS 1\.3 needs/,
  );
  await assert.rejects(
    startTlsServer({
      ...base,
      tls: { ...tls, versions: ["1.3"], tls13: tls13Material({ clientCa: undefined }) },
    }),
    /tls\.tls13\.clientCa/,
  );
  await assert.rejects(
    tlsConnect({ ...base, port: 1, tls: client13({ key: undefined }) }),
    /tls\.cert \/ tls\.key: the vehicle certificate needs both/,
  );
});

test("tls13: -20 only on TLS 1.3 ([V2G20-2356]) unless the lab switch allows it", () => {
  assert.equal(iso20AllowedOn({ protocol: "TLSv1.3" }), true);
  assert.equal(iso20AllowedOn({ protocol: "TLSv1.2" }), false);
  assert.equal(iso20AllowedOn(undefined), false);
  assert.equal(iso20AllowedOn(undefined, true), true);
});

/** A minimal ClientHello record with the given extensions. */
function hello(legacy: number, exts: Uint8Array[]): Uint8Array {
  const ext = exts.flatMap((e) => [...e]);
  const body = [legacy >> 8, legacy & 0xff, ...new Array(32).fill(7), 0, 0, 2, 0x13, 0x02, 1, 0];
  body.push(ext.length >> 8, ext.length & 0xff, ...ext);
  const hs = [1, 0, body.length >> 8, body.length & 0xff, ...body];
  return Uint8Array.from([0x16, 3, 1, hs.length >> 8, hs.length & 0xff, ...hs]);
}
const supportedVersions = (...v: number[]) =>
  Uint8Array.of(0, 0x2b, 0, 1 + 2 * v.length, 2 * v.length, ...v.flatMap((x) => [x >> 8, x & 0xff]));

test("tls13: clientHelloVersions reads supported_versions, falls back to the legacy version, waits for the whole record", () => {
  const h = hello(TLS12_WIRE_VERSION, [Uint8Array.of(0, 10, 0, 2, 0, 0), supportedVersions(0x0304, 0x0303)]);
  assert.deepEqual(clientHelloVersions(h), {
    kind: "hello",
    versions: [TLS13_WIRE_VERSION, TLS12_WIRE_VERSION],
  });
  assert.deepEqual(clientHelloVersions(h.subarray(0, h.length - 1)), { kind: "incomplete" });
  assert.deepEqual(clientHelloVersions(h.subarray(0, 3)), { kind: "incomplete" });
  assert.deepEqual(clientHelloVersions(hello(TLS12_WIRE_VERSION, [])), { kind: "hello", versions: [0x0303] });
  const notTls = clientHelloVersions(new TextEncoder().encode("GET / HTTP/1.1\r\n"));
  assert.equal(notTls.kind, "not-hello");
  assert.match((notTls as { detail: string }).detail, /record type 0x47, must be 0x16/);
  const v2gtp = clientHelloVersions(Uint8Array.of(0x01, 0xfe, 0x80, 0x01, 0, 0, 0, 0));
  assert.equal(v2gtp.kind, "not-hello");
});

test("tls13: clientHelloVersions never throws and never reads past the record (fast-check)", () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 600 }), fc.boolean(), (tail, framed) => {
      const b = framed
        ? Uint8Array.from([0x16, 3, 1, tail.length >> 8, tail.length & 0xff, 1, ...tail])
        : tail;
      const r = clientHelloVersions(b);
      assert.ok(["incomplete", "not-hello", "hello"].includes(r.kind));
      if (r.kind === "hello") for (const v of r.versions) assert.ok(v >= 0 && v <= 0xffff);
    }),
    { numRuns: 2000 },
  );
});

test(
  "tls13: both versions on one port — plaintext, silence and a close before the ClientHello are refused, each once; TLS 1.3 is served after them",
  { timeout: 10_000 },
  async () => {
    const refused: ServerRefusal[] = [];
    const s = await server(
      { versions: ["1.2", "1.3"], tls13: tls13Material(), handshakeTimeoutMs: 200 },
      refused,
    );
    try {
      const plain = await rawSocket(s.local.port);
      plain.write(Uint8Array.of(0x01, 0xfe, 0x80, 0x01, 0, 0, 0, 2, 0x80, 0x00));
      const silent = await rawSocket(s.local.port);
      const closer = await rawSocket(s.local.port);
      closer.write(Uint8Array.of(0x16, 0x03, 0x01)); // half a record header, then gone
      closer.end();
      await Promise.all([socketClosed(plain), socketClosed(silent)]);
      for (let i = 0; i < 100 && refused.length < 3; i++) await new Promise((r) => setTimeout(r, 10));
      assert.deepEqual(refused.map((r) => r.kind).sort(), [
        "setup-timeout",
        "tls-handshake",
        "tls-handshake",
      ]);
      assert.ok(
        refused.some((r) => /TLS handshake failed/.test(r.detail)),
        "plaintext: handshake failure",
      );
      assert.ok(
        refused.some((r) => /closed by the peer/.test(r.detail)),
        "close during the ClientHello",
      );
      assert.equal(s.connections.size, 0);
      // …and the port still serves a TLS 1.3 EVCC.
      assert.equal((await roundTrip(s, client13())).client.protocol, "TLSv1.3");
    } finally {
      await s.close();
    }
  },
);

test(
  "tls13: the EVCC refuses a -20 SECC leaf without DC=CPO, and a chain of more than leaf + 2 Sub-CAs",
  { timeout: 10_000 },
  async () => {
    const p = pki.iso20;
    const at = (d: number) => new Date(Date.now() + d * 86_400_000);
    const leaf = (name: { CN: string; DC?: string }, issuer: typeof p.cpoSubCa2) =>
      issue({ name, notBefore: at(-1), notAfter: at(30), ca: false, issuer, keyType: "p521" });
    const noCpo = leaf({ CN: "ZZNACS20", DC: "V2G" }, p.cpoSubCa2);
    // A root with three Sub-CAs without path-length limits: valid for OpenSSL, too deep for ISO 15118-20.
    const ca = (CN: string, issuer?: typeof p.v2gRoot) =>
      issue({
        name: { CN, DC: "V2G" },
        notBefore: at(-1),
        notAfter: at(30),
        ca: null,
        keyType: "p521",
        ...(issuer ? { issuer } : {}),
      });
    const root = ca("deep root");
    const a = ca("deep Sub-CA a", root);
    const b = ca("deep Sub-CA b", a);
    const c3 = ca("deep Sub-CA c", b);
    const deep = leaf({ CN: "ZZNACS20", DC: "CPO" }, c3);
    const cases = [
      {
        key: noCpo.keyPem,
        cert: noCpo.certPem + p.cpoSubCa2.certPem + p.cpoSubCa1.certPem,
        rule: /DC=V2G: ISO 15118-20 needs DC=CPO/,
      },
      {
        key: deep.keyPem,
        cert: deep.certPem + c3.certPem + b.certPem + a.certPem,
        rule: /4 certificates below the root: at most 3/,
      },
    ];
    for (const c of cases) {
      const s = await server({ versions: ["1.3"], tls13: tls13Material({ key: c.key, cert: c.cert }) });
      try {
        await assert.rejects(
          tlsConnect({
            host: LOOPBACK,
            port: s.local.port,
            tls: client13({ ca: [p.v2gRoot.certPem, root.certPem] }),
          }),
          (e: unknown) =>
            e instanceof TlsTrustError && e.code === "SECC_CERT_REJECTED" && c.rule.test(e.message),
        );
      } finally {
        await s.close();
      }
    }
  },
);
