/**
 * Emergency stop on the live pair: `nacs evse` and `nacs ev` on loopback (`--no-slac`, one simulated
 * cable through `--board sim:SOCKET`, hosted by the EVSE). Once the EVSE is charging, `emergency_stop` is
 * typed into its stdin. Expected, from the two `--json` summaries:
 * - EVSE: stop reason "emergency stop", one trip `emergency-stop` whose output-off command followed the
 *   detection within 1 ms on the host clock (J3400 allows 10 ms), and whose contactors were commanded
 *   open below 5 A; the stdin line's arrival is recorded too (input → output-off);
 * - EV: the session ended before its target (the EVSE showed F on the pilot and answered
 *   EVSE_EmergencyShutdown, the EV wound the V2G session down), and the inlet unlocked below 60 V;
 * - exit codes: the EVSE 1 (a safety trip), the EV 1 (the charger's emergency shutdown is not a normal
 *   end). The EVSE keeps the cable until the EV has unlocked and left, so the EV never loses its board.
 */

import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import type { LiveTrip } from "../../link/host/live-session.js";
import {
  livePairArgs,
  type PipedNacsProc,
  readRecords,
  spawnNacsPiped,
  stopProcs,
  summary,
  waitForRecord,
  within,
} from "../testing/live-pair.js";
import { waitForStderr } from "../testing/spawn-nacs.js";

/** Bounds of the run (ms): start-up, reaching the charge loop, and the end after the press. */
const READY_MS = 20_000;
const CHARGING_MS = 30_000;
const END_MS = 30_000;
/** Let the current ramp up after the first CurrentDemand before pressing (ms). */
const RAMP_MS = 500;

/** One trip of the `--json` report. */
type Trip = Omit<LiveTrip, "detail">;

test(
  "live pair: emergency_stop on the EVSE's stdin while charging ⇒ output off ≤ 1 ms after detection, contactors open < 5 A, EV unlocks < 60 V",
  {
    timeout: READY_MS + CHARGING_MS + END_MS + 15_000,
  },
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), "nacs-estop-"));
    const common = livePairArgs(dir);
    const evseEvents = join(dir, "evse.ndjson");
    let evse: PipedNacsProc | null = null;
    let ev: PipedNacsProc | null = null;
    try {
      evse = spawnNacsPiped([
        "evse",
        ...common,
        "--sessions",
        "1",
        "--log-level",
        "info",
        "--events",
        evseEvents,
      ]);
      await waitForStderr(evse, /evse ready/, READY_MS);
      // 20 → 90 % of 75 kWh at 300× takes several seconds of charging: the press comes well before the end.
      ev = spawnNacsPiped([
        "ev",
        ...common,
        "--soc",
        "20",
        "--target-soc",
        "90",
        "--events",
        join(dir, "ev.ndjson"),
      ]);
      await waitForRecord(
        evse,
        evseEvents,
        (e) => e.type === "phase" && e.phase === "charging",
        "charging",
        CHARGING_MS,
      );
      await new Promise((r) => setTimeout(r, RAMP_MS));
      evse.type("emergency_stop");
      const [evCode, evseCode] = await within(Promise.all([ev.exit, evse.exit]), END_MS, "both to exit");

      const s = summary(evse);
      const e = summary(ev);
      assert.equal(evseCode, 1, `EVSE exits 1 after a safety trip: ${evse.err}`);
      assert.equal(evCode, 1, `EV exits 1 after the charger's emergency shutdown: ${ev.err}`);
      assert.equal(s.stopReason, "emergency stop");
      const safety = s.safety as Trip[];
      assert.equal(safety.length, 1, JSON.stringify(safety));
      const trip = safety[0]!;
      assert.equal(trip.fault, "emergency-stop");
      assert.ok(trip.offLatencyMs !== null && trip.offAtMs !== null, "output-off commanded");
      t.diagnostic(
        `detection → off ${trip.offLatencyMs} ms, stdin line → off ${trip.inputToOffMs} ms, contactors open at ${trip.currentAtOpenA} A`,
      );
      assert.ok(trip.offLatencyMs <= 1, `detection → output off ${trip.offLatencyMs} ms (host clock)`);
      assert.ok(
        trip.inputAtMs !== null && trip.inputAtMs <= trip.detectedAtMs,
        "stdin line arrival recorded",
      );
      assert.ok(trip.inputToOffMs !== null && trip.inputToOffMs >= trip.offLatencyMs);
      assert.ok(
        trip.currentAtOpenA !== null && trip.contactorsOpenAtMs !== null,
        "contactors commanded open",
      );
      assert.ok(trip.currentAtOpenA < 5, `contactors opened at ${trip.currentAtOpenA} A`);
      assert.ok(trip.contactorsOpenAtMs >= trip.offAtMs, "contactors open after the output is off");
      const phases = (s.phases as { phase: string }[]).map((p) => p.phase);
      assert.deepEqual(phases.slice(0, 3), ["cable-check", "pre-charge", "charging"]);
      assert.ok((s.energyDeliveredWh as number) > 0, "energy flowed before the press");
      // The record has the trip and the off event (with the same figures) in this order.
      const rec = readRecords(evseEvents);
      const iTrip = rec.findIndex((x) => x.type === "trip" && x.fault === "emergency-stop");
      const iOff = rec.findIndex((x) => x.type === "off" && x.fault === "emergency-stop");
      assert.ok(iTrip >= 0 && iOff > iTrip, "trip then off in the record");
      assert.equal(rec[iOff]!.latencyMs, trip.offLatencyMs);

      assert.notEqual(e.stopReason, "target SOC reached", "the press ended the charge");
      assert.ok((e.socEnd as number) < 90, `EV stopped at ${e.socEnd} %`);
      const unlock = e.unlock as { inletVoltageV: number } | undefined;
      assert.ok(unlock, `EV unlocked its inlet: ${ev.err}`);
      t.diagnostic(`EV: ${e.stopReason}; unlocked at ${unlock.inletVoltageV} V`);
      assert.ok(unlock.inletVoltageV < 60, `EV unlocked at ${unlock.inletVoltageV} V`);
      assert.match(String(e.board), /^sim \(unix:/, "the EV joined the EVSE's cable and kept it to the end");
    } finally {
      await stopProcs([ev, evse]);
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
