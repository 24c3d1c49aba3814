/**
 * `nacs evse --ui 0` as a process (loopback, no SLAC, its own simulated-cable socket): a control line over
 * the dashboard's WebSocket does what the same stdin line does — `emergency_stop` trips the EVSE (trip and
 * off in the record file and in the stream), a line the EVSE refuses gets the same reason as on stdin.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import type { RecordEvent } from "../../link/host/record.js";
import { randomSdpPort, readRecords, spawnNacsPiped, stopProcs } from "../testing/live-pair.js";
import { waitForStderr } from "../testing/spawn-nacs.js";
import { connectFrames } from "./ws-client.js";

const WAIT_MS = 20_000;

test(
  "nacs evse --ui: control lines over /ws act as stdin lines do; the record streams live",
  { timeout: 4 * WAIT_MS },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), "nacs-evse-ui-"));
    const file = join(dir, "evse.ndjson");
    const evse = spawnNacsPiped([
      "evse",
      "--iface",
      "lo",
      "--no-slac",
      "--sessions",
      "0",
      "--sdp-port",
      randomSdpPort(),
      "--board",
      `sim:${join(dir, "world.sock")}`,
      "--events",
      file,
      "--ui",
      "0",
    ]);
    try {
      const m = await waitForStderr(evse, /dashboard at http:\/\/127\.0\.0\.1:(\d+)\//, WAIT_MS);
      await waitForStderr(evse, /nacs evse: ready on lo/, WAIT_MS);
      const c = await connectFrames(`ws://127.0.0.1:${m[1]}/ws`);
      try {
        const hello = await c.waitFor((f) => f.kind === "hello", WAIT_MS);
        assert.deepEqual([hello.command, hello.live, hello.roles], ["evse", true, ["evse"]]);
        // a line the EVSE refuses: the same reason as on stdin
        evse.type("set_target_soc 90");
        await waitForStderr(evse, /nacs evse: (set_target_soc: .*)/, WAIT_MS);
        const stdinReason = /nacs evse: (set_target_soc: .*)/.exec(evse.err)![1];
        c.send({ kind: "control", id: 1, role: "evse", line: "set_target_soc 90" });
        const refused = await c.waitFor((f) => f.id === 1, WAIT_MS);
        assert.deepEqual(refused, { kind: "control-result", id: 1, ok: false, error: stdinReason });
        // the EV's side is not this host's
        c.send({ kind: "control", id: 2, role: "ev", line: "pause" });
        assert.equal((await c.waitFor((f) => f.id === 2, WAIT_MS)).ok, false);
        c.send({ kind: "control", id: 3, role: "evse", line: "emergency_stop" });
        assert.deepEqual(await c.waitFor((f) => f.id === 3, WAIT_MS), {
          kind: "control-result",
          id: 3,
          ok: true,
          did: "emergency stop",
        });
        const isTrip = (e: RecordEvent) => e.type === "trip" && e.fault === "emergency-stop";
        await c.waitFor((f) => f.kind === "events" && (f.events as RecordEvent[]).some(isTrip), WAIT_MS);
        const streamed = c.frames
          .filter((f) => f.kind === "events")
          .flatMap((f) => f.events as RecordEvent[]);
        const off = streamed.find((e) => e.type === "off");
        assert.ok(
          off && typeof off.inputToOffMs === "number",
          `off with input → off time: ${JSON.stringify(off)}`,
        );
        // the stream is the record: same events, same order
        const rec = readRecords(file);
        assert.deepEqual(streamed, rec.slice(0, streamed.length));
      } finally {
        c.close();
      }
    } finally {
      await stopProcs([evse]);
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

test(
  "nacs ev --ui: the EV's control lines over /ws (set_target_soc), the EVSE's refused as on stdin",
  { timeout: 3 * WAIT_MS },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), "nacs-ev-ui-"));
    const ev = spawnNacsPiped([
      "ev",
      "--iface",
      "lo",
      "--no-slac",
      "--sdp-port",
      randomSdpPort(),
      "--board",
      `sim:${join(dir, "world.sock")}`,
      "--ui",
      "0",
    ]);
    try {
      const m = await waitForStderr(ev, /nacs ev: dashboard at http:\/\/127\.0\.0\.1:(\d+)\//, WAIT_MS);
      const c = await connectFrames(`ws://127.0.0.1:${m[1]}/ws`);
      try {
        const hello = await c.waitFor((f) => f.kind === "hello", WAIT_MS);
        assert.deepEqual([hello.command, hello.roles], ["ev", ["ev"]]);
        // until the host has attached its control target (after its network is up) the answer says so
        let r: Record<string, unknown> = {};
        for (let id = 1, until = Date.now() + WAIT_MS; ; id++) {
          c.send({ kind: "control", id, role: "ev", line: "set_target_soc 90" });
          r = await c.waitFor((f) => f.id === id, WAIT_MS);
          if (!/not ready/.test(String(r.error)) || Date.now() > until) break;
          await new Promise((res) => setTimeout(res, 100));
        }
        assert.deepEqual([r.ok, r.did], [true, "target SOC 90 %"]);
        c.send({ kind: "control", id: 1000, role: "ev", line: "emergency_stop" });
        const refused = await c.waitFor((f) => f.id === 1000, WAIT_MS);
        assert.equal(refused.error, "emergency_stop: the emergency-stop button is the EVSE's");
      } finally {
        c.close();
      }
    } finally {
      await stopProcs([ev]);
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
