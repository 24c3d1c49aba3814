/**
 * A host that stalls (CPU starvation, a long GC pause) longer than the heartbeat limit must not declare a
 * board lost whose heartbeats are waiting in the stream: the supervision reads pending input before its
 * verdict. The board is a child process that keeps sending heartbeats while this process busy-waits. A
 * board that really falls silent is still declared lost.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { realClock } from "../../machine/index.js";
import { openBoardStream } from "./adapters.js";
import { type BoardLost, createBoardLink } from "./board-link.js";
import { BOARD_HEARTBEAT_LIMIT_MS } from "./protocol.js";
import { waitFor } from "./test-support.js";

const T = { timeout: 20_000 };

/** A board that answers the hello and sends a heartbeat every 100 ms; `silentAfterMs` stops them. */
const script = (silentAfterMs: number) => `
let seq = 0;
const send = (b) => process.stdout.write(JSON.stringify({ v: 1, seq: seq++, ...b }) + "\\n");
let buf = "";
const t0 = Date.now();
process.stdin.on("data", (d) => {
  buf += d;
  for (let i; (i = buf.indexOf("\\n")) >= 0; buf = buf.slice(i + 1)) {
    const m = JSON.parse(buf.slice(0, i));
    if (m.type === "hello") send({ type: "hello", role: "evse", protocol: 1, board: "stall-test" });
  }
});
process.stdin.on("end", () => process.exit(0));
setInterval(() => { if (Date.now() - t0 < ${silentAfterMs}) send({ type: "heartbeat" }); }, 100);
`;

async function link(silentAfterMs: number) {
  const dir = mkdtempSync(join(tmpdir(), "nacs-stall-"));
  const file = join(dir, "board.cjs");
  writeFileSync(file, script(silentAfterMs));
  const stream = await openBoardStream(`stdio:exec "${process.execPath}" "${file}"`);
  const l = createBoardLink({ role: "evse", stream, timers: realClock, host: "nacs test" });
  await l.ready;
  let lost: BoardLost | null = null;
  l.onLost((x) => {
    lost = x;
  });
  return { l, dir, lost: () => lost };
}

test(
  "host stalled 3× the heartbeat limit while the board kept beating: the board is not lost",
  T,
  async () => {
    const b = await link(60_000);
    try {
      await new Promise((r) => setTimeout(r, 300));
      // Stall in the check phase (as a long I/O or setImmediate callback would): the event loop's next
      // turn runs its due timers before it polls for the input that arrived meanwhile.
      await new Promise<void>((r) =>
        setImmediate(() => {
          const until = Date.now() + 3 * BOARD_HEARTBEAT_LIMIT_MS;
          while (Date.now() < until) {
            // busy: no timer, no I/O
          }
          r();
        }),
      );
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(b.lost(), null, "the heartbeats queued during the stall were read before the verdict");
    } finally {
      b.l.close();
      rmSync(b.dir, { recursive: true, force: true });
    }
  },
);

test("a board that falls silent is still lost within the limit (and not much later)", T, async () => {
  const b = await link(300);
  try {
    await waitFor(() => b.lost() !== null, "link lost", 3_000);
    assert.equal(b.lost()?.reason, "heartbeat");
  } finally {
    b.l.close();
    rmSync(b.dir, { recursive: true, force: true });
  }
});
