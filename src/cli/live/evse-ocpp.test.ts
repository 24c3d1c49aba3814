/**
 * `nacs evse --ocpp`: the live charger as an OCPP station. A view of the live controller (plug-in from the
 * pilot, the end of a session, its cause), and one live session — `nacs csms`, `nacs evse --ocpp` and
 * `nacs ev` on loopback, the simulated cable hosted by the EVSE — whose TransactionEvents Started / Updated /
 * Ended carry the charger's meter (the Ended energy within 0.1 % of the EVSE's session energy), with every
 * message schema-valid both ways and the EV authorised by the CSMS (Authorize accepted) before it charged.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import type { EvseDcState } from "../../evse/dc/index.js";
import type { CsmsSummary } from "../../link/ocpp/csms.js";
import {
  livePairArgs,
  type PipedNacsProc,
  spawnNacsPiped,
  stopProcs,
  summary,
  within,
} from "../testing/live-pair.js";
import { waitForStderr } from "../testing/spawn-nacs.js";
import { createLiveEvseView, liveStopCause } from "./evse-ocpp.js";

/** A controller state with just what the view reads. */
function state(x: {
  cp: EvseDcState["cp"];
  phase: EvseDcState["phase"];
  currentA?: number;
  pd?: "start" | "stop";
  stopReason?: string | null;
  trip?: { fault: string; detail: string } | null;
}): EvseDcState {
  return {
    cp: x.cp,
    phase: x.phase,
    meas: { voltageV: 400, currentA: x.currentA ?? 0, energyWh: 123 },
    secc: { powerDelivery: x.pd },
    stopReason: x.stopReason ?? null,
    safety: { trip: x.trip ?? null },
  } as unknown as EvseDcState;
}

test("live view: plug-in follows the pilot (E/F keep it), a session is over only once it ran, power = U × I", () => {
  const view = createLiveEvseView();
  assert.equal(view(state({ cp: "A", phase: "idle" }), null).plugged, false);
  const plugged = view(state({ cp: "B", phase: "idle" }), null);
  assert.equal(plugged.plugged, true);
  assert.equal(plugged.over, false, "idle right after the plug-in is not the end of a session");
  const charging = view(state({ cp: "C", phase: "session", currentA: 100, pd: "start" }), 55);
  assert.deepEqual(
    [charging.charging, charging.powerW, charging.socPercent, charging.over],
    [true, 40_000, 55, false],
  );
  assert.equal(view(state({ cp: "F", phase: "ended", currentA: 30 }), null).plugged, true, "F keeps it");
  assert.equal(view(state({ cp: "F", phase: "ended", currentA: 30 }), null).over, false, "still 30 A");
  assert.equal(view(state({ cp: "F", phase: "ended", currentA: 0.2 }), null).over, true);
  const gone = view(state({ cp: "A", phase: "idle" }), null);
  assert.deepEqual([gone.plugged, gone.over], [false, true]);
  // the next plug-in starts afresh: not over until that session ran
  assert.equal(view(state({ cp: "B", phase: "idle" }), null).over, false);
});

test("live stop cause: a trip first, then the EV's end, the EVSE's reason, the unplug", () => {
  const trip = { fault: "emergency-stop", detail: "operator" };
  assert.deepEqual(liveStopCause(state({ cp: "F", phase: "ended", trip, stopReason: "emergency stop" })), {
    kind: "trip",
    fault: "emergency-stop",
    reason: "operator",
  });
  assert.deepEqual(liveStopCause(state({ cp: "B", phase: "ended", stopReason: "EV ended the session" })), {
    kind: "ev",
    reason: "EV ended the session",
  });
  assert.deepEqual(liveStopCause(state({ cp: "B", phase: "ended", stopReason: "remote stop" })), {
    kind: "evse",
    reason: "remote stop",
  });
  assert.deepEqual(liveStopCause(state({ cp: "A", phase: "idle" })), { kind: "unplugged" });
});

const READY_MS = 20_000;
const SESSION_MS = 60_000;

test(
  "nacs evse --ocpp against nacs csms, nacs ev plugged in: Started, Updated, Ended with the charger's meter; schema-clean",
  {
    timeout: READY_MS * 2 + SESSION_MS + 20_000,
  },
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), "nacs-evse-ocpp-"));
    const common = livePairArgs(dir);
    let csms: PipedNacsProc | null = null;
    let evse: PipedNacsProc | null = null;
    let ev: PipedNacsProc | null = null;
    try {
      csms = spawnNacsPiped(["csms", "--port", "0", "--json"]);
      const [, url] = await waitForStderr(csms, /listening on (ws:\/\/\S+)/, READY_MS);
      evse = spawnNacsPiped([
        "evse",
        ...common,
        "--sessions",
        "1",
        "--ocpp",
        `${url}/CP7`,
        "--ocpp-meter-interval",
        "1",
      ]);
      await waitForStderr(evse, /nacs evse: ready/, READY_MS);
      ev = spawnNacsPiped(["ev", ...common, "--soc", "20", "--target-soc", "40"]);
      const [evCode, evseCode] = await within(Promise.all([ev.exit, evse.exit]), SESSION_MS, "both to exit");
      assert.equal(evCode, 0, ev.err);
      assert.equal(evseCode, 0, evse.err);
      csms.child.kill("SIGTERM");
      assert.equal(await within(csms.exit, 10_000, "the CSMS to exit"), 0, csms.err);
      const c = JSON.parse(csms.out) as CsmsSummary;
      const s = summary(evse);
      assert.match(
        evse.err,
        /nacs evse: OCPP 2\.0\.1 ws:\/\/\S+\/CP7: transactions \S+; sent \d+ calls, answered \d+ CSMS requests, undelivered 0, schema failures 0/,
      );
      assert.equal(c.schemaErrors, 0, "CSMS schema errors");
      assert.equal(c.badMessages, 0);
      assert.equal(c.callErrors, 0);
      assert.deepEqual(c.stations, ["CP7"]);
      assert.ok(
        (c.messages["rx:Authorize"] ?? 0) >= 1,
        `the token went to the CSMS: ${JSON.stringify(c.messages)} ${evse.err}`,
      );
      const txs = Object.values(c.transactions);
      assert.equal(txs.length, 1, JSON.stringify(c.transactions));
      const tx = txs[0]!;
      const kinds = tx.events.map((e) => e.eventType);
      assert.equal(kinds[0], "Started");
      assert.equal(kinds.at(-1), "Ended");
      assert.ok(kinds.includes("Updated"));
      assert.ok(
        tx.events.some((e) => e.triggerReason === "Authorized"),
        "Authorize accepted → Authorized",
      );
      const meter = s.energyDeliveredWh as number;
      t.diagnostic(
        `EVSE meter ${meter} Wh, Ended ${tx.endedEnergyWh} Wh; ${tx.events.length} TransactionEvents`,
      );
      assert.ok(meter > 1000, `the EV charged: ${meter} Wh`);
      assert.ok(
        tx.endedEnergyWh !== null && Math.abs(tx.endedEnergyWh - meter) <= meter * 0.001,
        `Ended ${tx.endedEnergyWh} Wh vs the EVSE's ${meter} Wh`,
      );
    } finally {
      await stopProcs([ev, evse, csms]);
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
