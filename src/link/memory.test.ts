import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import type { Clock } from "../machine/index.js";
import { encodeV2gtpMessage, V2gtpError, V2gtpPayloadType } from "../v2g/index.js";
import { LinkError } from "./errors.js";
import { createCaptureLogger } from "./logger.js";
import { createMemoryLink, createMemoryNetwork } from "./memory.js";
import { echo, nextMessages } from "./test-support.js";

const EXI = V2gtpPayloadType.exi;

/** Manual virtual clock: timers run only when advanced. */
function fakeTimers(): Clock & { advance(ms: number): void } {
  let now = 0;
  let seq = 0;
  const due = new Map<number, { at: number; fn: () => void }>();
  return {
    now: () => now,
    setTimeout(fn, ms) {
      const id = ++seq;
      due.set(id, { at: now + ms, fn });
      return id;
    },
    clearTimeout(h) {
      due.delete(h as number);
    },
    advance(ms) {
      const end = now + ms;
      for (;;) {
        const next = [...due.entries()]
          .filter(([, t]) => t.at <= end)
          .sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
        if (!next) break;
        due.delete(next[0]);
        now = next[1].at;
        next[1].fn();
      }
      now = end;
    },
  };
}

test("memory: a → b and b → a, same interface as TCP; close reaches the peer", async () => {
  const [a, b] = createMemoryLink();
  assert.equal(a.transport, "memory");
  const atB = nextMessages(b, 2);
  a.send(EXI, Uint8Array.of(1));
  a.send(0x8002, Uint8Array.of(2, 3));
  assert.deepEqual(
    (await atB).map((m) => [m.payloadType, [...m.payload]]),
    [
      [EXI, [1]],
      [0x8002, [2, 3]],
    ],
  );
  const atA = nextMessages(a, 1);
  b.send(EXI, Uint8Array.of(9));
  assert.deepEqual([...(await atA)[0]!.payload], [9]);
  a.close("bye");
  assert.equal((await a.closed).code, "local");
  const peer = await b.closed;
  assert.equal(peer.code, "peer-closed");
  assert.match(peer.reason, /bye/);
  assert.throws(
    () => b.send(EXI, new Uint8Array(0)),
    (e: unknown) => e instanceof LinkError && e.code === "closed",
  );
});

test("memory: latency runs on injected timers (virtual time)", async () => {
  const timers = fakeTimers();
  const [a, b] = createMemoryLink({ latencyMs: 30, timers });
  const got: number[] = [];
  b.onMessage((m) => got.push(m.payload[0]!));
  a.send(EXI, Uint8Array.of(5));
  timers.advance(29);
  await Promise.resolve();
  assert.deepEqual(got, []);
  timers.advance(1);
  await new Promise((r) => setTimeout(r, 0));
  assert.deepEqual(got, [5]);
});

test("memory: bad header via sendRaw closes the receiving end with protocol-error, logged", async () => {
  const log = createCaptureLogger();
  const [a, b] = createMemoryLink({ peerOptions: { logger: log } });
  a.sendRaw(Uint8Array.of(0x01, 0xfe, 0x80, 0x01, 0xff, 0xff, 0xff, 0xff));
  const info = await b.closed;
  assert.equal(info.code, "protocol-error");
  assert.ok(info.error instanceof V2gtpError && info.error.code === "too-long");
  assert.equal((await a.closed).code, "peer-closed");
  assert.ok(log.records.some((r) => r.level === "warn" && r.fields.code === "too-long"));
});

test("memory: a half message is dropped after readTimeoutMs of virtual time", async () => {
  const timers = fakeTimers();
  const [a, b] = createMemoryLink({ timers, readTimeoutMs: 100 });
  a.sendRaw(encodeV2gtpMessage(EXI, Uint8Array.of(1, 2, 3)).subarray(0, 9));
  await Promise.resolve();
  timers.advance(99);
  assert.equal(b.isClosed, false);
  timers.advance(1);
  assert.equal((await b.closed).code, "read-timeout");
});

test("memory: any split of a message stream is delivered intact and in order (property)", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.uint8Array({ maxLength: 300 }), { minLength: 1, maxLength: 12 }),
      fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 20 }),
      async (payloads, cuts) => {
        const [a, b] = createMemoryLink();
        const stream = new Uint8Array(payloads.reduce((n, p) => n + 8 + p.length, 0));
        let o = 0;
        for (const p of payloads) {
          stream.set(encodeV2gtpMessage(EXI, p), o);
          o += 8 + p.length;
        }
        const got = nextMessages(b, payloads.length);
        let i = 0;
        for (let k = 0; i < stream.length; k++) {
          const n = cuts[k % cuts.length]!;
          a.sendRaw(stream.subarray(i, i + n));
          i += n;
        }
        const msgs = await got;
        assert.deepEqual(
          msgs.map((m) => [...m.payload]),
          payloads.map((p) => [...p]),
        );
        a.close();
      },
    ),
    { numRuns: 150 },
  );
});

test("memory network: listen/connect/echo, backlog before onConnection, refused port, server close", async () => {
  const net = createMemoryNetwork();
  const server = net.listen(61000, { maxPayload: 16 });
  const c = net.connect(61000);
  echo(server);
  const reply = nextMessages(c, 1);
  c.send(EXI, Uint8Array.of(7, 7));
  assert.deepEqual([...(await reply)[0]!.payload], [7, 7]);
  assert.equal(server.connections.size, 1);
  // Server-side receive options apply to accepted ends.
  c.send(EXI, new Uint8Array(17));
  assert.equal((await c.closed).code, "peer-closed");
  assert.throws(
    () => net.connect(1),
    (e: unknown) => e instanceof LinkError && e.code === "connect-failed",
  );
  assert.throws(
    () => net.listen(61000),
    (e: unknown) => e instanceof LinkError && e.code === "listen-failed",
  );
  const c2 = net.connect(61000);
  await server.close();
  assert.equal((await c2.closed).code, "peer-closed");
  assert.throws(() => net.connect(61000), /nobody listening/);
});
