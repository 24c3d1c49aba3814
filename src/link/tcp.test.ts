import assert from "node:assert/strict";
import { test } from "node:test";
import {
  encodeV2gtpHeader,
  SDP_SECC_PORT_MAX,
  SDP_SECC_PORT_MIN,
  V2gtpError,
  V2gtpPayloadType,
} from "../v2g/index.js";
import { LinkError } from "./errors.js";
import { createCaptureLogger } from "./logger.js";
import { startTcpServer, tcpConnect } from "./tcp.js";
import { echo, firstConnection, LOOPBACK, nextMessages, rawSocket, socketClosed } from "./test-support.js";

const EXI = V2gtpPayloadType.exi;

test("tcp: echo round trip on [::1], several messages, payload bytes intact", async () => {
  const server = await startTcpServer({ host: LOOPBACK });
  echo(server);
  try {
    assert.ok(server.local.port >= SDP_SECC_PORT_MIN && server.local.port <= SDP_SECC_PORT_MAX);
    const c = await tcpConnect({ host: LOOPBACK, port: server.local.port });
    assert.equal(c.transport, "tcp");
    assert.equal(c.remote.port, server.local.port);
    const payloads = [Uint8Array.of(1, 2, 3), new Uint8Array(0), new Uint8Array(40_000).fill(7)];
    const got = nextMessages(c, payloads.length);
    for (const p of payloads) c.send(EXI, p);
    const msgs = await got;
    assert.deepEqual(
      msgs.map((m) => [m.payloadType, [...m.payload]]),
      payloads.map((p) => [EXI, [...p]]),
    );
    c.close("done");
    assert.equal((await c.closed).code, "local");
    assert.throws(
      () => c.send(EXI, Uint8Array.of(1)),
      (e: unknown) => e instanceof LinkError && e.code === "closed",
    );
  } finally {
    await server.close();
  }
});

test("tcp: a message split over many writes is reassembled; messages before onMessage are queued", async () => {
  const server = await startTcpServer({ host: LOOPBACK, port: 0 });
  try {
    const accepted = firstConnection(server);
    const s = await rawSocket(server.local.port);
    const conn = await accepted;
    const whole = new Uint8Array([
      ...encodeV2gtpHeader(EXI, 5),
      10,
      11,
      12,
      13,
      14,
      ...encodeV2gtpHeader(EXI, 1),
      99,
    ]);
    for (const b of whole) {
      s.write(Uint8Array.of(b));
      await new Promise((r) => setTimeout(r, 1));
    }
    await new Promise((r) => setTimeout(r, 30));
    const msgs = await nextMessages(conn, 2);
    assert.deepEqual(
      msgs.map((m) => [...m.payload]),
      [[10, 11, 12, 13, 14], [99]],
    );
    s.destroy();
    assert.equal((await conn.closed).code, "peer-closed");
  } finally {
    await server.close();
  }
});

test("tcp: half a header then silence → server closes after readTimeoutMs (measured)", async () => {
  const log = createCaptureLogger();
  const readTimeoutMs = 150;
  const server = await startTcpServer({ host: LOOPBACK, port: 0, readTimeoutMs, logger: log });
  try {
    const accepted = firstConnection(server);
    const s = await rawSocket(server.local.port);
    const closed = socketClosed(s);
    await accepted;
    const t0 = performance.now();
    s.write(encodeV2gtpHeader(EXI, 10).subarray(0, 4));
    await closed;
    const elapsed = performance.now() - t0;
    assert.ok(
      elapsed >= readTimeoutMs - 5,
      `closed after ${elapsed.toFixed(0)} ms, before ${readTimeoutMs} ms`,
    );
    assert.ok(elapsed < readTimeoutMs + 1500, `closed only after ${elapsed.toFixed(0)} ms`);
    const conn = (await accepted).closed;
    const info = await conn;
    assert.equal(info.code, "read-timeout");
    assert.match(info.reason, /4 bytes of an incomplete V2GTP message/);
    assert.ok(log.records.some((r) => r.level === "warn" && r.fields.code === "read-timeout"));
  } finally {
    await server.close();
  }
});

test("tcp: no bytes at all → idle timeout closes (idleTimeoutMs)", async () => {
  const server = await startTcpServer({ host: LOOPBACK, port: 0, idleTimeoutMs: 80 });
  try {
    const accepted = firstConnection(server);
    const s = await rawSocket(server.local.port);
    const t0 = performance.now();
    await socketClosed(s);
    assert.ok(performance.now() - t0 >= 75);
    assert.equal((await (await accepted).closed).code, "idle-timeout");
  } finally {
    await server.close();
  }
});

test("tcp: bad V2GTP header closes that connection with a logged reason; a second connection keeps working", async () => {
  const log = createCaptureLogger();
  const server = await startTcpServer({ host: LOOPBACK, port: 0, logger: log });
  echo(server);
  try {
    const good = await tcpConnect({ host: LOOPBACK, port: server.local.port });
    const bad = await rawSocket(server.local.port);
    const badClosed = socketClosed(bad);
    bad.write(Uint8Array.of(0x02, 0xfd, 0x80, 0x01, 0, 0, 0, 1, 0));
    await badClosed;
    const warn = log.records.find((r) => r.level === "warn" && r.fields.code === "bad-version");
    assert.ok(warn, "a warn line with code bad-version");
    assert.match(warn.msg, /protocol version: 0x02, must be 0x01/);
    const reply = nextMessages(good, 1);
    good.send(EXI, Uint8Array.of(42));
    assert.deepEqual([...(await reply)[0]!.payload], [42]);
    assert.equal(good.isClosed, false);
    good.close();
  } finally {
    await server.close();
  }
});

test("tcp: length over maxPayload → closed with too-long; unknown payload type → closed", async () => {
  const server = await startTcpServer({ host: LOOPBACK, port: 0, maxPayload: 1024 });
  const closes: Promise<unknown>[] = [];
  server.onConnection((c) => closes.push(c.closed));
  try {
    const s1 = await rawSocket(server.local.port);
    s1.write(encodeV2gtpHeader(EXI, 1025));
    await socketClosed(s1);
    const s2 = await rawSocket(server.local.port);
    s2.write(encodeV2gtpHeader(0x1234, 0));
    await socketClosed(s2);
    const infos = (await Promise.all(closes)) as { code: string; error?: Error }[];
    assert.deepEqual(
      infos.map((i) => [i.code, (i.error as V2gtpError).code]),
      [
        ["protocol-error", "too-long"],
        ["protocol-error", "unknown-payload-type"],
      ],
    );
    assert.ok(infos[0]!.error instanceof V2gtpError);
  } finally {
    await server.close();
  }
});

test("tcp: async iterator yields messages and ends on close; server.close closes connections", async () => {
  const server = await startTcpServer({ host: LOOPBACK, port: 0 });
  echo(server);
  const c = await tcpConnect({ host: LOOPBACK, port: server.local.port });
  c.send(EXI, Uint8Array.of(1));
  c.send(EXI, Uint8Array.of(2));
  const seen: number[] = [];
  for await (const m of c) {
    seen.push(m.payload[0]!);
    if (seen.length === 2) await server.close();
  }
  assert.deepEqual(seen, [1, 2]);
  assert.equal((await c.closed).code, "peer-closed");
  assert.equal(server.connections.size, 0);
});

test("tcp: connect to a closed port → LinkError connect-failed; bad options are named", async () => {
  const server = await startTcpServer({ host: LOOPBACK, port: 0 });
  const port = server.local.port;
  await server.close();
  await assert.rejects(
    tcpConnect({ host: LOOPBACK, port }),
    (e: unknown) => e instanceof LinkError && e.code === "connect-failed",
  );
  await assert.rejects(
    startTcpServer({ host: LOOPBACK, port: 70000 }),
    /port: 70000, must be an integer 0\.\.65535/,
  );
  await assert.rejects(
    startTcpServer({ host: LOOPBACK, port: 0, readTimeoutMs: -1 }),
    (e: unknown) => e instanceof LinkError && e.code === "bad-option" && /readTimeoutMs: -1/.test(e.message),
  );
  await assert.rejects(startTcpServer({ host: LOOPBACK, port: 0, maxPayload: 1.5 }), /maxPayload: 1.5/);
});
