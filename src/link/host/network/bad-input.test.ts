import assert from "node:assert/strict";
import { createSocket } from "node:dgram";
import { test } from "node:test";
import { LinkError } from "../../errors.js";
import { rawSocket, socketClosed } from "../../test-support.js";
import { startEvseNetwork } from "./evse-network.js";
import { connect, discover, type Pair, settle, startPair } from "./test-support.js";

const T = { timeout: 10_000 };

/**
 * A raw TCP peer on the EVSE's V2G port (the EVSE saw it connect), writing `bytes`; resolves with the
 * EVSE's `v2g-closed` reason and how long after the write it came, once the socket is closed.
 */
async function rawPeer(p: Pair, bytes: Uint8Array): Promise<{ reason: string; ms: number }> {
  const connected = p.evseEvents.next("v2g-connected");
  const closed = p.evseEvents.next("v2g-closed");
  const s = await rawSocket(p.evse.v2gPort);
  await connected;
  const t0 = performance.now();
  s.write(bytes);
  const { reason } = await closed;
  const ms = performance.now() - t0;
  await socketClosed(s);
  return { reason, ms };
}

test(
  "bad input: an oversize V2GTP header closes the connection → v2g-closed (protocol-error)",
  T,
  async () => {
    const p = await startPair();
    try {
      // Version 0x01/0xfe, payload type 0x8001, length 16 MiB: over V2GTP_DEFAULT_MAX_PAYLOAD (64 KiB,
      // a design choice).
      const r = await rawPeer(p, Uint8Array.of(0x01, 0xfe, 0x80, 0x01, 0x01, 0x00, 0x00, 0x00));
      assert.match(r.reason, /protocol-error/);
    } finally {
      await p.close();
    }
  },
);

test(
  "bad input: an unknown V2GTP payload type from the EVSE closes the EV's connection → v2g-closed",
  T,
  async () => {
    const p = await startPair();
    try {
      await connect(p, await discover(p));
      const closed = p.evEvents.next("v2g-closed");
      // An unknown payload type (outside the V2GTP table) from the SECC: the EV's deframer refuses it.
      p.evse.perform({ kind: "v2g-send", payloadType: 0x1234, bytes: Uint8Array.of(1), name: "Bogus" });
      assert.match((await closed).reason, /protocol-error/);
    } finally {
      await p.close();
    }
  },
);

test(
  "bad input: any UDP datagram is an sdp-request (the controller decodes it); the EVSE does not throw",
  T,
  async () => {
    const p = await startPair();
    try {
      const sock = createSocket({ type: "udp6", ipv6Only: true });
      await new Promise<void>((r) => sock.bind(0, "::1", () => r()));
      const got = p.evseEvents.next("sdp-request");
      sock.send(Uint8Array.of(0xde, 0xad), p.evse.sdpPort, "::1");
      assert.deepEqual([...(await got).datagram], [0xde, 0xad]);
      // The reply goes to the last sender: our socket.
      const reply = new Promise<number[]>((r) => sock.once("message", (m) => r([...m])));
      p.evse.perform({ kind: "sdp-reply", datagram: Uint8Array.of(7) });
      assert.deepEqual(await reply, [7]);
      await new Promise<void>((r) => sock.close(() => r()));
      await settle(20);
    } finally {
      await p.close();
    }
  },
);

test(
  "bad input: a wrong V2GTP version (0x02/0xfd) closes the connection → v2g-closed (protocol-error)",
  T,
  async () => {
    const p = await startPair();
    try {
      const r = await rawPeer(p, Uint8Array.of(0x02, 0xfd, 0x80, 0x01, 0x00, 0x00, 0x00, 0x02, 0x80, 0x00));
      assert.match(r.reason, /protocol-error/);
      assert.equal(p.evseEvents.of("v2g-message").length, 0, "nothing reached the controller");
    } finally {
      await p.close();
    }
  },
);

test("bad input: half a V2GTP header, then silence: closed by the read timeout → v2g-closed", T, async () => {
  const READ_TIMEOUT_MS = 300;
  const p = await startPair({ evse: { v2g: { host: "::1", readTimeoutMs: READ_TIMEOUT_MS } } });
  try {
    const { reason, ms } = await rawPeer(p, Uint8Array.of(0x01, 0xfe, 0x80, 0x01));
    assert.match(reason, /read-timeout/);
    assert.ok(ms >= READ_TIMEOUT_MS - 5 && ms < READ_TIMEOUT_MS + 2000, `closed after ${ms} ms`);
  } finally {
    await p.close();
  }
});

test("v2g port outside 49152–65535 needs allowAnyPort (SDP could not advertise it)", T, async () => {
  const base = {
    iface: "lo",
    slac: null,
    sdpPort: 0,
    push: () => {},
    now: () => 0,
  };
  for (let i = 0; ; i++) {
    const port = 20000 + Math.floor(Math.random() * 20000);
    try {
      await startEvseNetwork({ ...base, v2g: { host: "::1", port } });
      assert.fail("must reject");
    } catch (e) {
      assert.ok(e instanceof LinkError);
      if (e.code === "listen-failed" && i < 5) continue; // port taken: try another
      assert.equal(e.code, "bad-option");
      const ok = await startEvseNetwork({ ...base, v2g: { host: "::1", port, allowAnyPort: true } });
      assert.equal(ok.v2gPort, port);
      await ok.close();
      break;
    }
  }
});

test(
  "a second EVSE on this host's SDP port is refused with a clear error (never two SECCs answering)",
  T,
  async () => {
    const base = { iface: "lo", slac: null, push: () => {}, now: () => 0, v2g: { host: "::1" } };
    for (let i = 0; ; i++) {
      const sdpPort = 20000 + Math.floor(Math.random() * 12000);
      let first: Awaited<ReturnType<typeof startEvseNetwork>>;
      try {
        first = await startEvseNetwork({ ...base, sdpPort });
      } catch (e) {
        if (i < 5) continue; // port taken by someone else: try another
        throw e;
      }
      try {
        await assert.rejects(startEvseNetwork({ ...base, sdpPort }), (e: unknown) => {
          assert.ok(e instanceof LinkError);
          assert.equal(e.code, "sdp-socket");
          assert.match(
            e.message,
            new RegExp(`UDP port ${sdpPort} is already in use on this host.*--sdp-port`),
          );
          return true;
        });
      } finally {
        await first.close();
      }
      break;
    }
  },
);
