/**
 * Hostile and clumsy peers on the SECC's V2G servers (loopback): idle sockets, half a ClientHello, a
 * ClientHello dribbled byte by byte, a TLS session that never sends a V2GTP message, plain-TCP sockets that
 * never complete a V2GTP message — all closed at the setup bound; a real client still gets through.
 */
import assert from "node:assert/strict";
import type { Socket } from "node:net";
import { before, test } from "node:test";
import { makeTestPki, type TestPki } from "../../tools/pki/make-test-pki.js";
import { encodeV2gtpHeader, V2gtpPayloadType } from "../v2g/index.js";
import { LINK_SECC_SETUP_TIMEOUT_MS, startTcpServer } from "./tcp.js";
import { echo, firstConnection, LOOPBACK, nextMessages, rawSocket, socketClosed } from "./test-support.js";
import { LINK_TLS_HANDSHAKE_TIMEOUT_MS, startTlsServer, tlsConnect } from "./tls.js";
import type { ServerRefusal, V2gConnection, V2gServer } from "./types.js";

const EXI = V2gtpPayloadType.exi;
const T = { timeout: 20_000 };
let pki: TestPki;

before(() => {
  pki = makeTestPki({ seccId: "ZZNACS1" });
});

/** A TLS 1.2 record header announcing a 512-byte ClientHello, and its first few bytes: half a ClientHello. */
const HALF_CLIENT_HELLO = Uint8Array.of(0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03);

/** Resolve with the ms until `s` is closed by the server, or reject after `boundMs`. */
function closedWithin(s: Socket, boundMs: number): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`socket still open after ${boundMs} ms`)), boundMs);
    void socketClosed(s).then(() => {
      clearTimeout(timer);
      resolve(performance.now() - t0);
    });
  });
}

function refusals(server: V2gServer): ServerRefusal[] {
  const got: ServerRefusal[] = [];
  server.onRefused?.((r) => got.push(r));
  return got;
}

test("setup bound: 18 s, V2G_SECC_CommunicationSetup; the TLS handshake bound is the same", () => {
  assert.equal(LINK_SECC_SETUP_TIMEOUT_MS, 18_000);
  assert.equal(LINK_TLS_HANDSHAKE_TIMEOUT_MS, LINK_SECC_SETUP_TIMEOUT_MS);
});

test(
  "tls: 60 idle, half-ClientHello and byte-dribbling sockets are closed at the setup bound; a real client then completes a session",
  T,
  async () => {
    const setupTimeoutMs = 400;
    const server = await startTlsServer({
      host: LOOPBACK,
      port: 0,
      setupTimeoutMs,
      tls: { key: pki.seccLeaf.keyPem, cert: pki.seccChainPem, maxPendingHandshakes: 100 },
    });
    echo(server);
    const dropped = refusals(server);
    const dribblers: ReturnType<typeof setInterval>[] = [];
    try {
      const socks = await Promise.all(Array.from({ length: 60 }, () => rawSocket(server.local.port)));
      socks.forEach((s, i) => {
        if (i % 3 === 1) s.write(HALF_CLIENT_HELLO);
        if (i % 3 === 2) {
          // One byte every 100 ms: an inactivity timer would never fire.
          let at = 0;
          const t = setInterval(() => {
            if (!s.destroyed && at < HALF_CLIENT_HELLO.length) s.write(HALF_CLIENT_HELLO.subarray(at, ++at));
          }, 100);
          dribblers.push(t);
        }
      });
      const times = await Promise.all(socks.map((s) => closedWithin(s, setupTimeoutMs + 3000)));
      assert.ok(Math.min(...times) >= setupTimeoutMs - 50, `first closed after ${Math.min(...times)} ms`);
      assert.equal(dropped.length, 60);
      assert.ok(
        dropped.every((r) => r.kind === "setup-timeout"),
        JSON.stringify(dropped[0]),
      );
      assert.match(dropped[0]!.detail, /no TLS session within 400 ms of accept/);

      const accepted = firstConnection(server);
      const c = await tlsConnect({
        host: LOOPBACK,
        port: server.local.port,
        tls: { ca: pki.v2gRoot.certPem },
      });
      c.send(EXI, Uint8Array.of(0x80, 1));
      const [m] = await nextMessages(c, 1);
      assert.deepEqual([...m!.payload], [0x80, 1]);
      // Once its first message is in, the setup bound no longer applies.
      await new Promise((r) => setTimeout(r, setupTimeoutMs + 200));
      assert.equal((await accepted).isClosed, false);
      c.close();
    } finally {
      for (const t of dribblers) clearInterval(t);
      await server.close();
    }
  },
);

test(
  "tls: a peer that completes the handshake but sends no V2GTP message is closed with setup-timeout",
  T,
  async () => {
    const setupTimeoutMs = 500;
    const server = await startTlsServer({
      host: LOOPBACK,
      port: 0,
      setupTimeoutMs,
      tls: { key: pki.seccLeaf.keyPem, cert: pki.seccChainPem },
    });
    try {
      const accepted = firstConnection(server);
      const c = await tlsConnect({
        host: LOOPBACK,
        port: server.local.port,
        tls: { ca: pki.v2gRoot.certPem },
      });
      const info = await (await accepted).closed;
      assert.equal(info.code, "setup-timeout");
      assert.match(info.reason, /no complete V2GTP message within \d+ ms of accept/);
      assert.equal((await c.closed).code, "peer-closed");
    } finally {
      await server.close();
    }
  },
);

test(
  "tls: with more handshakes pending than allowed the oldest are dropped (overload); a real client gets through",
  T,
  async () => {
    const server = await startTlsServer({
      host: LOOPBACK,
      port: 0,
      setupTimeoutMs: 10_000,
      tls: { key: pki.seccLeaf.keyPem, cert: pki.seccChainPem, maxPendingHandshakes: 4 },
    });
    echo(server);
    const dropped = refusals(server);
    try {
      const socks: Socket[] = [];
      for (let i = 0; i < 6; i++) socks.push(await rawSocket(server.local.port));
      await Promise.all(socks.slice(0, 2).map((s) => closedWithin(s, 2000)));
      assert.deepEqual(
        dropped.map((r) => r.kind),
        ["overload", "overload"],
      );
      const c = await tlsConnect({
        host: LOOPBACK,
        port: server.local.port,
        tls: { ca: pki.v2gRoot.certPem },
      });
      c.send(EXI, Uint8Array.of(0x80, 2));
      assert.deepEqual([...(await nextMessages(c, 1))[0]!.payload], [0x80, 2]);
      c.close();
      for (const s of socks) s.destroy();
    } finally {
      await server.close();
    }
  },
);

test("tls: a failed handshake (garbage) and a connect-and-close are destroyed and reported", T, async () => {
  const server = await startTlsServer({
    host: LOOPBACK,
    port: 0,
    tls: { key: pki.seccLeaf.keyPem, cert: pki.seccChainPem },
  });
  const dropped = refusals(server);
  try {
    const garbage = await rawSocket(server.local.port);
    garbage.write(new TextEncoder().encode("GET / HTTP/1.1\r\n\r\n"));
    await closedWithin(garbage, 2000);
    const stray = await rawSocket(server.local.port);
    stray.end();
    await closedWithin(stray, 2000);
    const deadline = Date.now() + 2000;
    while (dropped.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.equal(dropped.length, 2, JSON.stringify(dropped));
    assert.ok(dropped.every((r) => r.kind === "tls-handshake"));
    assert.match(dropped[0]!.detail, /TLS handshake failed/);
    assert.match(dropped[1]!.detail, /closed by the peer during the TLS handshake/);
  } finally {
    await server.close();
  }
});

test(
  "tcp: sockets that never complete a V2GTP message are closed at the setup bound; one that does stays",
  T,
  async () => {
    const setupTimeoutMs = 300;
    const server = await startTcpServer({ host: LOOPBACK, port: 0, setupTimeoutMs });
    const conns: V2gConnection[] = [];
    server.onConnection((c) => conns.push(c));
    echo(server);
    try {
      const idle = await rawSocket(server.local.port);
      const half = await rawSocket(server.local.port);
      half.write(encodeV2gtpHeader(EXI, 10).subarray(0, 5));
      const good = await rawSocket(server.local.port);
      good.write(Uint8Array.from([...encodeV2gtpHeader(EXI, 2), 0x80, 3]));
      const [a, b] = await Promise.all([idle, half].map((s) => closedWithin(s, setupTimeoutMs + 2000)));
      assert.ok(a! >= setupTimeoutMs - 50 && b! >= setupTimeoutMs - 50, `${a} ${b}`);
      const codes = await Promise.all(conns.slice(0, 2).map(async (c) => (await c.closed).code));
      assert.deepEqual(codes, ["setup-timeout", "setup-timeout"]);
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(good.destroyed, false);
      assert.equal(conns[2]?.isClosed, false);
      good.destroy();
    } finally {
      await server.close();
    }
  },
);
