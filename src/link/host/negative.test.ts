/**
 * Negative cases over real sockets on [::1]: malformed EXI, bad V2GTP header, oversized
 * length, half header and stall, SECC certificate not chaining to the EVCC's root, expired SECC
 * certificate. Each prints its outcome and measured time; throughout each case a healthy session runs
 * concurrently on the same SeccServer process and must complete normally.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { makeTestPki } from "../../../tools/pki/make-test-pki.js";
import { TlsTrustError } from "../errors.js";
import { tcpConnect } from "../tcp.js";
import { rawSocket, socketClosed } from "../test-support.js";
import { tlsConnect } from "../tls.js";
import { runEvccSession } from "./evcc-session.js";
import { type SeccServer, startSeccServer } from "./secc-server.js";
import type { SessionSummary } from "./summary.js";

const pki = makeTestPki();
const READ_TIMEOUT_MS = 300;

async function withServer(fn: (server: SeccServer) => Promise<void>): Promise<void> {
  const server = await startSeccServer({
    host: "::1",
    port: 0,
    mode: "dc",
    plant: { timeScale: 300 },
    readTimeoutMs: READ_TIMEOUT_MS,
  });
  try {
    await fn(server);
  } finally {
    await server.close();
  }
}

/** A full healthy EV session against `server` (about a second). */
async function healthy(server: SeccServer): Promise<SessionSummary> {
  const conn = await tcpConnect({ host: "::1", port: server.local.port });
  return runEvccSession(conn, {
    mode: "dc",
    readings: { fullSocPercent: 51 },
    plant: { socPercent: 50, timeScale: 300 },
  }).done;
}

/** The SECC summary of the next session that ends with something other than "terminated". */
function nextBadSummary(server: SeccServer): Promise<SessionSummary> {
  return new Promise((resolve) => {
    const off = server.onSummary((s) => {
      if (s.stopReason === "terminated") return;
      off();
      resolve(s);
    });
  });
}

/** Send `bytes` on a raw socket while a healthy session runs; returns the SECC's summary and the time to close. */
async function rawCase(server: SeccServer, bytes: Uint8Array) {
  const good = healthy(server);
  await new Promise((r) => setTimeout(r, 100)); // the healthy session is under way
  const bad = nextBadSummary(server);
  const sock = await rawSocket(server.local.port);
  const closed = socketClosed(sock);
  const t0 = performance.now();
  sock.write(bytes);
  await closed;
  const ms = performance.now() - t0;
  const [secc, ok] = await Promise.all([bad, good]);
  assert.equal(ok.stopReason, "terminated", `concurrent healthy session: ${ok.stopDetail}`);
  assert.ok(ok.energyDeliveredWh > 0);
  return { secc, ms };
}

const header = (type: number, length: number) => {
  const b = new Uint8Array(8);
  const v = new DataView(b.buffer);
  b[0] = 0x01;
  b[1] = 0xfe;
  v.setUint16(2, type);
  v.setUint32(4, length);
  return b;
};

test("malformed EXI: the SECC ends that session with decode-error and closes it; others go on", async () => {
  await withServer(async (server) => {
    const junk = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0x00, 0x13, 0x37);
    const msg = new Uint8Array([...header(0x8001, junk.length), ...junk]);
    const { secc, ms } = await rawCase(server, msg);
    console.log(
      `# malformed EXI → ${secc.stopReason} (${secc.stopDetail}), closed after ${ms.toFixed(2)} ms`,
    );
    assert.equal(secc.stopReason, "decode-error");
    assert.equal(secc.close.code, "local");
    assert.ok(ms < 1000, `closed after ${ms} ms`);
  });
});

test("bad V2GTP header (version 0x02/0xfd): the link closes with protocol-error; others go on", async () => {
  await withServer(async (server) => {
    const msg = header(0x8001, 4);
    msg[0] = 0x02;
    msg[1] = 0xfd;
    const { secc, ms } = await rawCase(server, new Uint8Array([...msg, 1, 2, 3, 4]));
    console.log(`# bad header → ${secc.close.code} (${secc.close.reason}), closed after ${ms.toFixed(2)} ms`);
    assert.equal(secc.close.code, "protocol-error");
    assert.equal(secc.stopReason, "peer-closed");
    assert.ok(ms < 1000);
  });
});

test("oversized length (0x7fffffff > 64 KiB): closed at the header with protocol-error; others go on", async () => {
  await withServer(async (server) => {
    const { secc, ms } = await rawCase(server, header(0x8001, 0x7fffffff));
    console.log(
      `# oversized length → ${secc.close.code} (${secc.close.reason}), closed after ${ms.toFixed(2)} ms`,
    );
    assert.equal(secc.close.code, "protocol-error");
    assert.match(secc.close.reason, /length|payload/i);
    assert.ok(ms < 1000);
  });
});

test(`half header and stall: closed by the read timeout (${READ_TIMEOUT_MS} ms); others go on`, async () => {
  await withServer(async (server) => {
    const { secc, ms } = await rawCase(server, header(0x8001, 16).subarray(0, 4));
    console.log(`# half header + stall → ${secc.close.code}, closed after ${ms.toFixed(2)} ms`);
    assert.equal(secc.close.code, "read-timeout");
    assert.ok(ms >= READ_TIMEOUT_MS - 5 && ms < READ_TIMEOUT_MS + 2000, `closed after ${ms} ms`);
  });
});

for (const [what, cert, key, code] of [
  [
    "not chaining to the EVCC's trusted root",
    pki.rogueChainPem,
    pki.rogueSeccLeaf.keyPem,
    /ISSUER|VERIFY_LEAF/,
  ],
  ["expired", pki.seccExpiredChainPem, pki.seccLeafExpired.keyPem, /CERT_HAS_EXPIRED/],
] as const) {
  test(`SECC certificate ${what}: the EVCC refuses the TLS session; the SECC process goes on serving`, async () => {
    await withServer(async (server) => {
      const bad = await startSeccServer({ host: "::1", port: 0, mode: "dc", tls: { key, cert } });
      try {
        const good = healthy(server);
        const seccSide = new Promise<SessionSummary>((r) => bad.onSummary(r));
        const t0 = performance.now();
        const err = await tlsConnect({
          host: "::1",
          port: bad.local.port,
          tls: { ca: pki.v2gRoot.certPem },
        }).then(
          () => undefined,
          (e: unknown) => e,
        );
        const ms = performance.now() - t0;
        console.log(
          `# SECC certificate ${what} → ${(err as Error)?.name} ${(err as TlsTrustError)?.code} after ${ms.toFixed(2)} ms`,
        );
        assert.ok(err instanceof TlsTrustError, String(err));
        assert.match(err.code, code);
        assert.ok(ms < 2000);
        // TLS 1.2: the server's handshake completes before the client checks the chain; the EVCC then drops
        // the connection without a single V2G message
        const s = await seccSide;
        assert.equal(s.messages, 0);
        assert.equal(s.stopReason, "peer-closed");
        // the refusing server still accepts (and a trusting EV could still use it): a second handshake works
        const again = await tlsConnect({
          host: "::1",
          port: bad.local.port,
          tls: { ca: [pki.v2gRoot.certPem, pki.rogueRoot.certPem], checkSeccCertificate: () => undefined },
        }).then(
          (c) => {
            c.close();
            return "connected";
          },
          (e: Error) => e.message,
        );
        if (what === "expired") assert.match(again, /CERT_HAS_EXPIRED/);
        else assert.equal(again, "connected");
        const ok = await good;
        assert.equal(ok.stopReason, "terminated", ok.stopDetail);
      } finally {
        await bad.close();
      }
    });
  });
}
