/**
 * `nacs simulate --ui 0 --speed 50` as a process: the dashboard's WebSocket shows the session live (sample
 * events advancing while it runs), an `emergency_stop` control line for the EVSE trips it, and the stream
 * ends with the trip, the stop and the `end` frame. The process keeps serving until SIGTERM, then exits 0.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { RecordEvent } from "../../link/host/record.js";
import { spawnNacs, waitForStderr } from "../testing/spawn-nacs.js";
import { connectFrames } from "./ws-client.js";

const START_MS = 20_000;
const STEP_MS = 20_000;

test(
  "nacs simulate --ui: live samples over /ws, emergency_stop from the app trips the EVSE, then stop and end",
  { timeout: START_MS + 4 * STEP_MS },
  async (t) => {
    const p = spawnNacs(["simulate", "--ui", "0", "--speed", "50", "--no-record", "--json"]);
    try {
      const m = await waitForStderr(p, /dashboard at (http:\/\/127\.0\.0\.1:(\d+)\/)/, START_MS);
      const c = await connectFrames(`ws://127.0.0.1:${m[2]}/ws`);
      try {
        const hello = await c.waitFor((f) => f.kind === "hello", STEP_MS);
        assert.deepEqual(hello.roles, ["evse", "ev"]);
        assert.match(String((hello.commands as Record<string, string>).evse), /emergency_stop/);
        const events = () =>
          c.frames.filter((f) => f.kind === "events").flatMap((f) => f.events as RecordEvent[]);
        const has = (pred: (e: RecordEvent) => boolean) => () => events().some(pred);
        const waitEvent = async (pred: (e: RecordEvent) => boolean, what: string) => {
          const until = Date.now() + STEP_MS;
          while (!has(pred)()) {
            assert.ok(Date.now() < until, `no ${what} within ${STEP_MS} ms`);
            await new Promise((r) => setTimeout(r, 20));
          }
        };
        await waitEvent((e) => e.type === "phase" && e.phase === "charging", "charging phase");
        const firstT = Math.max(
          ...events()
            .filter((e) => e.type === "sample")
            .map((e) => e.t),
        );
        // samples keep coming while the paced session runs
        await waitEvent((e) => e.type === "sample" && e.t > firstT + 1, "later sample");
        c.send({ kind: "control", id: 1, role: "evse", line: "emergency_stop" });
        const r = await c.waitFor((f) => f.kind === "control-result" && f.id === 1, STEP_MS);
        assert.deepEqual(r, { kind: "control-result", id: 1, ok: true, did: "emergency stop" });
        await waitEvent((e) => e.type === "trip" || e.type === "off", "trip");
        await c.waitFor((f) => f.kind === "end", STEP_MS);
        const all = events();
        const trip = all.find((e) => e.type === "trip");
        assert.equal(trip?.fault, "emergency-stop", JSON.stringify(trip));
        assert.ok(
          all.some((e) => e.type === "stop"),
          "a stop event",
        );
        assert.equal(all.at(-1)?.type, "summary", "the summary is the last event");
        assert.equal(
          (all.at(-1)?.summary as { stopReason: string }).stopReason,
          "emergency stop",
          "the session's own stop reason",
        );
        for (let k = 1; k < all.length; k++)
          assert.ok(all[k]!.t >= all[k - 1]!.t, `t non-decreasing at ${k}: ${all[k - 1]!.t} → ${all[k]!.t}`);
        const batches = c.frames.filter((f) => f.kind === "events").length;
        t.diagnostic(`${all.length} events in ${batches} frames; trip at t=${trip?.t} s`);
        assert.equal(c.frames.filter((f) => f.kind === "end").length, 1);
        // still serving after the session
        assert.equal(p.child.exitCode, null, "keeps serving after the session");
      } finally {
        c.close();
      }
      p.child.kill("SIGTERM");
      const code = await Promise.race([p.exit, new Promise((r) => setTimeout(() => r("timeout"), STEP_MS))]);
      assert.equal(code, 0, `exits 0 on SIGTERM: ${p.err}`);
      const summary = JSON.parse(p.out);
      assert.equal(summary.stopReason, "emergency stop");
    } finally {
      if (p.child.exitCode === null && p.child.pid !== undefined) p.child.kill("SIGKILL");
    }
  },
);
