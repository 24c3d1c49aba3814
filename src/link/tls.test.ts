import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { getCiphers, connect as rawTlsConnect } from "node:tls";
import { makeTestPki, type TestPki } from "../../tools/pki/make-test-pki.js";
import { V2gtpPayloadType } from "../v2g/index.js";
import { LinkError, TlsTrustError } from "./errors.js";
import { createCaptureLogger } from "./logger.js";
import { echo, firstConnection, LOOPBACK, nextMessages } from "./test-support.js";
import { ISO15118_2_STATIC_ECDH_CIPHER, ISO15118_2_TLS_CIPHERS, startTlsServer, tlsConnect } from "./tls.js";
import type { V2gServer } from "./types.js";

const EXI = V2gtpPayloadType.exi;
let pki: TestPki;
let dir: string;

before(() => {
  pki = makeTestPki({ seccId: "ZZNACS1" });
  dir = mkdtempSync(join(tmpdir(), "nacs-tls-"));
});
after(() => rmSync(dir, { recursive: true, force: true }));

async function server(
  chain: "good" | "expired" | "rogue",
  extra: { keylogFile?: string } = {},
  logger = createCaptureLogger(),
): Promise<V2gServer> {
  const [cert, key] =
    chain === "good"
      ? [pki.seccChainPem, pki.seccLeaf.keyPem]
      : chain === "expired"
        ? [pki.seccExpiredChainPem, pki.seccLeafExpired.keyPem]
        : [pki.rogueChainPem, pki.rogueSeccLeaf.keyPem];
  const s = await startTlsServer({ host: LOOPBACK, port: 0, logger, tls: { cert, key, ...extra } });
  echo(s);
  return s;
}

test("tls: static ECDH ISO 15118-2 suite is absent from Node's OpenSSL; the ECDHE one is present", () => {
  const ciphers = getCiphers();
  assert.ok(ciphers.includes(ISO15118_2_TLS_CIPHERS.toLowerCase()));
  assert.ok(!ciphers.includes(ISO15118_2_STATIC_ECDH_CIPHER.toLowerCase()));
});

test("tls: session with the right PKI — TLS 1.2, ECDHE-ECDSA-AES128-SHA256, SECC CN, echo; key-log lines written", async () => {
  const clientLog = join(dir, "client.keylog");
  const serverLog = join(dir, "server.keylog");
  const s = await server("good", { keylogFile: serverLog });
  try {
    const accepted = firstConnection(s);
    const c = await tlsConnect({
      host: LOOPBACK,
      port: s.local.port,
      tls: { ca: pki.v2gRoot.certPem, keylogFile: clientLog },
    });
    assert.equal(c.transport, "tls");
    const { peerCertSha512, ...info } = c.tls ?? {};
    assert.deepEqual(info, {
      protocol: "TLSv1.2",
      cipher: ISO15118_2_TLS_CIPHERS,
      peerCommonName: "ZZNACS1",
    });
    assert.match(peerCertSha512 ?? "", /^[0-9a-f]{128}$/, "SHA-512 of the SECC leaf");
    assert.equal((await accepted).tls?.cipher, ISO15118_2_TLS_CIPHERS);
    const reply = nextMessages(c, 1);
    c.send(EXI, Uint8Array.of(0x80, 0x01, 0x02));
    assert.deepEqual([...(await reply)[0]!.payload], [0x80, 0x01, 0x02]);
    c.close();
    await c.closed;
    for (const f of [clientLog, serverLog]) {
      const lines = readFileSync(f, "utf8").trim().split("\n");
      assert.ok(lines.length >= 1, `${f} has lines`);
      for (const l of lines) assert.match(l, /^CLIENT_RANDOM [0-9a-f]{64} [0-9a-f]{96}$/);
    }
    // Both ends log the same session secret.
    assert.equal(readFileSync(clientLog, "utf8"), readFileSync(serverLog, "utf8"));
  } finally {
    await s.close();
  }
});

test("tls: SECC chain from a root the EVCC does not trust → TlsTrustError, no connection", async () => {
  const s = await server("rogue");
  try {
    await assert.rejects(
      tlsConnect({ host: LOOPBACK, port: s.local.port, tls: { ca: pki.v2gRoot.certPem } }),
      (e: unknown) =>
        e instanceof TlsTrustError &&
        ["UNABLE_TO_VERIFY_LEAF_SIGNATURE", "UNABLE_TO_GET_ISSUER_CERT_LOCALLY"].includes(e.code),
    );
  } finally {
    await s.close();
  }
  const good = await server("good");
  try {
    // Right chain, but the EVCC trusts only the rogue root.
    await assert.rejects(
      tlsConnect({ host: LOOPBACK, port: good.local.port, tls: { ca: pki.rogueRoot.certPem } }),
      (e: unknown) => e instanceof TlsTrustError && e.code === "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
    );
    // Node verifies the chain once the TLS 1.2 handshake is complete, so the SECC may briefly see a session;
    // the EVCC drops it without sending a byte.
    await Promise.all([...good.connections].map((c) => c.closed));
    assert.equal(good.connections.size, 0);
  } finally {
    await good.close();
  }
});

test("tls: expired SECC certificate → TlsTrustError CERT_HAS_EXPIRED", async () => {
  const s = await server("expired");
  try {
    await assert.rejects(
      tlsConnect({ host: LOOPBACK, port: s.local.port, tls: { ca: pki.v2gRoot.certPem } }),
      (e: unknown) =>
        e instanceof TlsTrustError && e.code === "CERT_HAS_EXPIRED" && /CERT_HAS_EXPIRED/.test(e.message),
    );
  } finally {
    await s.close();
  }
});

test("tls: checkSeccCertificate can refuse a valid chain (e.g. wrong SECC ID)", async () => {
  const s = await server("good");
  try {
    await assert.rejects(
      tlsConnect({
        host: LOOPBACK,
        port: s.local.port,
        tls: {
          ca: pki.v2gRoot.certPem,
          checkSeccCertificate: (cert) =>
            cert.subject.CN === "OTHER" ? undefined : new Error(`SECC ID ${cert.subject.CN}`),
        },
      }),
      (e: unknown) =>
        e instanceof TlsTrustError && e.code === "SECC_CERT_REJECTED" && /ZZNACS1/.test(e.message),
    );
  } finally {
    await s.close();
  }
});

test("tls: a client offering no ISO 15118-2 suite, or TLS 1.3 only, fails the handshake; server logs it", async () => {
  const log = createCaptureLogger();
  const s = await server("good", {}, log);
  try {
    await assert.rejects(
      tlsConnect({
        host: LOOPBACK,
        port: s.local.port,
        tls: { ca: pki.v2gRoot.certPem, ciphers: "ECDHE-ECDSA-AES256-GCM-SHA384" },
      }),
      (e: unknown) => e instanceof LinkError && e.code === "tls-handshake",
    );
    const err13 = await new Promise<Error>((resolve) => {
      const sock = rawTlsConnect({
        host: LOOPBACK,
        port: s.local.port,
        minVersion: "TLSv1.3",
        ca: pki.v2gRoot.certPem,
        checkServerIdentity: () => undefined,
      });
      sock.on("error", resolve);
      sock.on("secureConnect", () => resolve(new Error("unexpected TLS 1.3 session")));
    });
    assert.doesNotMatch(err13.message, /unexpected/);
    await new Promise((r) => setTimeout(r, 20));
    assert.ok(log.records.filter((r) => r.level === "warn" && /tls handshake/.test(r.msg)).length >= 2);
  } finally {
    await s.close();
  }
});

test("tls: bad V2GTP header inside the TLS session closes it with protocol-error", async () => {
  const s = await server("good");
  try {
    const accepted = firstConnection(s);
    const c = await tlsConnect({ host: LOOPBACK, port: s.local.port, tls: { ca: pki.v2gRoot.certPem } });
    c.sendRaw(Uint8Array.of(0x01, 0x00));
    const info = await (await accepted).closed;
    assert.equal(info.code, "protocol-error");
    assert.match(info.reason, /bad-inverse-version/);
    assert.equal((await c.closed).code, "peer-closed");
  } finally {
    await s.close();
  }
});
