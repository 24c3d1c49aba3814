/**
 * The wall clock's timers: one fires once, after its delay; a cleared one never fires; and a timeout that
 * fell due while the process was busy yields to the input that came in before it fell due — the answer
 * waiting in the socket is read (and clears the timeout) before the timeout's callback would run.
 */
import assert from "node:assert/strict";
import { once } from "node:events";
import { connect, createServer, type Socket } from "node:net";
import { test } from "node:test";
import { realClock } from "./clock.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Keep this thread busy for `ms` (a stall of the event loop, as a long garbage collection makes one). */
function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // spin
  }
}

test("realClock: a timer fires once after its delay; a cleared one never fires", async () => {
  const t0 = realClock.now();
  let fired = 0;
  let at = 0;
  realClock.setTimeout(() => {
    fired++;
    at = realClock.now() - t0;
  }, 20);
  let cleared = 0;
  const h = realClock.setTimeout(() => cleared++, 10);
  realClock.clearTimeout(h);
  realClock.clearTimeout(h);
  realClock.clearTimeout(undefined);
  await sleep(80);
  assert.equal(fired, 1);
  assert.ok(at >= 19, `fired after ${at} ms`);
  assert.equal(cleared, 0);
});

test("realClock: after a stall, the answer that arrived in time is read before the timeout it clears", async () => {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const port = (server.address() as { port: number }).port;
  const accepted = once(server, "connection");
  const client = connect(port, "127.0.0.1");
  await once(client, "connect");
  const [peer] = (await accepted) as [Socket];
  try {
    for (let round = 0; round < 5; round++) {
      let timedOut = false;
      let answered = false;
      // the request's timeout, and the answer that clears it
      const timeout = realClock.setTimeout(() => {
        timedOut = true;
      }, 30);
      const got = once(client, "data").then(() => {
        answered = true;
        realClock.clearTimeout(timeout);
      });
      peer.write("answer");
      // this process stalls past the deadline; the answer is in the socket well before it
      busy(120);
      await got;
      await sleep(5);
      assert.equal(answered, true, `round ${round}`);
      assert.equal(timedOut, false, `round ${round}: the timeout fired although the answer came in time`);
    }
  } finally {
    client.destroy();
    peer.destroy();
    server.close();
  }
});
