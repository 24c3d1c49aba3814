import assert from "node:assert/strict";
import { createHash, X509Certificate } from "node:crypto";
import { connect as netConnect } from "node:net";
import { before, test } from "node:test";
import { AsnConvert } from "@peculiar/asn1-schema";
import { Certificate } from "@peculiar/asn1-x509";
import { makeTestPki, type TestPki } from "../../tools/pki/make-test-pki.js";
import type { TrustedAuthority } from "../v2g/tls/client-hello.js";
import { createCaptureLogger } from "./logger.js";
import { LOOPBACK } from "./test-support.js";
import { startTlsServer, type TlsServerConfig, tlsConnect } from "./tls.js";
import { nodeClientHello, sendHello, withTrustedCaKeys } from "./tls-test-support.js";
import type { ServerRefusal, V2gServer } from "./types.js";

let a: TestPki;
let b: TestPki;

before(() => {
  a = makeTestPki({ seccId: "ZZSECCA" });
  b = makeTestPki({ seccId: "ZZSECCB" });
});

const der = (pem: string) => new Uint8Array(new X509Certificate(pem).raw);
const sha1 = (x: Uint8Array | ArrayBuffer) =>
  new Uint8Array(
    createHash("sha1")
      .update(new Uint8Array(x as ArrayBuffer))
      .digest(),
  );

/** Each RFC 6066 §6 identifier of the root in `pem`. */
function ids(pem: string): Record<"key" | "name" | "cert", TrustedAuthority> {
  const d = der(pem);
  const tbs = AsnConvert.parse(d, Certificate).tbsCertificate;
  return {
    key: { kind: "key_sha1_hash", sha1: sha1(tbs.subjectPublicKeyInfo.subjectPublicKey) },
    name: { kind: "x509_name", name: new Uint8Array(AsnConvert.serialize(tbs.subject)) },
    cert: { kind: "cert_sha1_hash", sha1: sha1(d) },
  };
}

async function server(
  tls: Partial<TlsServerConfig>,
  logger = createCaptureLogger(),
  refused: ServerRefusal[] = [],
) {
  const s: V2gServer = await startTlsServer({
    host: LOOPBACK,
    port: 0,
    logger,
    tls: {
      key: a.seccLeaf.keyPem,
      cert: a.seccChainPem,
      root: a.v2gRoot.certPem,
      chains: [
        // chain 1: a root with another name; chain 2: the same name as A's root, another key
        { key: a.rogueSeccLeaf.keyPem, cert: a.rogueChainPem, root: a.rogueRoot.certPem },
        { key: b.seccLeaf.keyPem, cert: b.seccChainPem, root: b.v2gRoot.certPem },
      ],
      ...tls,
    },
  });
  s.onRefused?.((r) => refused.push(r));
  return { s, logger, refused };
}

test("TLS 1.2: a trusted_ca_keys entry of each kind naming a root gets that root's chain ([V2G2-871]), logged", async () => {
  const hello = await nodeClientHello();
  const { s, logger } = await server({});
  try {
    const rogue = ids(a.rogueRoot.certPem);
    for (const which of ["key", "name", "cert"] as const) {
      const leaf = await sendHello(
        s.local.port,
        withTrustedCaKeys(hello, [{ kind: "pre_agreed" }, rogue[which]]),
      );
      assert.deepEqual(leaf, der(a.rogueSeccLeaf.certPem), which);
    }
    const rec = logger.records.filter((r) => r.fields.trustedCaKeys !== undefined);
    assert.equal(rec.length, 3);
    assert.match(
      rec[0]!.msg,
      /entry 1 \(key_sha1_hash\) names root .*CN=rogue Root CA.*: chain 1 \(\[V2G2-871\]\)/,
    );
    assert.match(rec[1]!.msg, /entry 1 \(x509_name\)/);
    assert.match(rec[2]!.msg, /entry 1 \(cert_sha1_hash\)/);
    assert.deepEqual(rec[2]!.fields.entry, { index: 1, kind: "cert_sha1_hash" });
    // Two roots with one name ([V2G2-878] allows several concurrently valid roots): key and certificate
    // hashes tell them apart; the name alone gets the first chain under that name.
    const idsB = ids(b.v2gRoot.certPem);
    assert.deepEqual(
      await sendHello(s.local.port, withTrustedCaKeys(hello, [idsB.key])),
      der(b.seccLeaf.certPem),
    );
    assert.deepEqual(
      await sendHello(s.local.port, withTrustedCaKeys(hello, [idsB.cert])),
      der(b.seccLeaf.certPem),
    );
    assert.deepEqual(
      await sendHello(s.local.port, withTrustedCaKeys(hello, [idsB.name])),
      der(a.seccLeaf.certPem),
    );
  } finally {
    await s.close();
  }
});

test("TLS 1.2: the client's first entry naming a root we hold wins; none → default chain ([V2G2-923])", async () => {
  const hello = await nodeClientHello();
  const { s, logger } = await server({});
  try {
    const idsA = ids(a.v2gRoot.certPem);
    const idsB = ids(b.v2gRoot.certPem);
    const unknown = ids(b.rogueRoot.certPem); // same name as chain 1's root, another key
    assert.deepEqual(
      await sendHello(s.local.port, withTrustedCaKeys(hello, [idsA.cert, idsB.cert])),
      der(a.seccLeaf.certPem),
    );
    assert.deepEqual(
      await sendHello(s.local.port, withTrustedCaKeys(hello, [unknown.key, idsB.key])),
      der(b.seccLeaf.certPem),
    );
    assert.deepEqual(
      await sendHello(
        s.local.port,
        withTrustedCaKeys(hello, [unknown.cert, unknown.key, { kind: "pre_agreed" }]),
      ),
      der(a.seccLeaf.certPem),
    );
    assert.match(
      logger.records.at(-1)!.msg,
      /none of 3 entries names a root we hold: default chain \(\[V2G2-923\]\)/,
    );
  } finally {
    await s.close();
  }
});

test("TLS 1.2: a ClientHello split over 7 records and 9 TCP segments is read whole and gets chain 2", async () => {
  const hello = await nodeClientHello();
  const { s } = await server({});
  try {
    const bytes = withTrustedCaKeys(hello, [ids(b.v2gRoot.certPem).key], [3, 20, 40, 40, 40, 40]);
    assert.deepEqual(await sendHello(s.local.port, bytes, 9), der(b.seccLeaf.certPem));
  } finally {
    await s.close();
  }
});

test("TLS 1.3 (both versions served): trusted_ca_keys naming the second -20 root picks its chain, logged", async () => {
  const c = makeTestPki({ seccId: "ZZSECCC" });
  const hello13 = await nodeClientHello(true);
  const { s, logger } = await server({
    versions: ["1.2", "1.3"],
    tls13: {
      key: a.iso20.seccLeaf.keyPem,
      cert: a.iso20.seccChainPem,
      root: a.iso20.v2gRoot.certPem,
      requireClientCert: false,
      chains: [{ key: c.iso20.seccLeaf.keyPem, cert: c.iso20.seccChainPem, root: c.iso20.v2gRoot.certPem }],
    },
  });
  try {
    await sendHello(s.local.port, withTrustedCaKeys(hello13, [ids(c.iso20.v2gRoot.certPem).cert]), 1, true);
    const rec = logger.records.find((r) => r.fields.trustedCaKeys !== undefined);
    assert.equal(rec?.fields.chain, 1);
    assert.match(rec!.msg, /entry 0 \(cert_sha1_hash\) names root .*: chain 1/);
    // A real TLS 1.3 EVCC (no extension) completes the handshake on the default -20 chain.
    const conn = await tlsConnect({
      host: LOOPBACK,
      port: s.local.port,
      tls: {
        ca: a.iso20.v2gRoot.certPem,
        versions: ["1.3"],
        cert: a.iso20.vehicleChainPem,
        key: a.iso20.vehicleLeaf.keyPem,
      },
    });
    assert.equal(conn.tls?.protocol, "TLSv1.3");
    conn.close();
  } finally {
    await s.close();
  }
});

test("a bad ClientHello is refused as a failed handshake, the field logged; the server keeps serving", async () => {
  const { s, refused, logger } = await server({});
  try {
    const sock = netConnect({ host: LOOPBACK, port: s.local.port });
    sock.on("error", () => {});
    sock.resume(); // read the alert, so that "close" comes
    await new Promise<void>((r) => sock.once("connect", () => r()));
    // a 1-byte handshake fragment, then application data before the ClientHello is complete (RFC 8446 §5.1)
    sock.write(Buffer.from([22, 3, 1, 0, 1, 1]));
    sock.write(Buffer.from([0x17, 3, 3, 0, 1, 0]));
    await new Promise<void>((r, j) => {
      const t = setTimeout(() => j(new Error("the SECC did not close the connection within 3 s")), 3000);
      sock.once("close", () => r(clearTimeout(t)));
    });
    for (let i = 0; i < 50 && refused.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(refused[0]?.kind, "tls-handshake");
    assert.ok(logger.records.some((r) => /record\[1\]\.content_type: 23, must be 22/.test(r.msg)));
    const c = await tlsConnect({ host: LOOPBACK, port: s.local.port, tls: { ca: a.v2gRoot.certPem } });
    c.close();
  } finally {
    await s.close();
  }
});
