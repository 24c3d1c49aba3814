/**
 * Both hosts on a virtual clock over the in-memory link (2 ms latency): a real-time-scale DC session
 * (2 s isolation test, PreCharge, charging 50 → 60 % of a 2 kWh pack) runs in virtual time, and the energy
 * the EVSE metered matches the energy the EV's battery took.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { createVirtualClock } from "../../machine/index.js";
import { createMemoryLink } from "../memory.js";
import { runEvccSession } from "./evcc-session.js";
import { runSeccSession } from "./secc-session.js";
import type { SessionSummary } from "./summary.js";

for (const protocol of ["din", "iso2"] as const) {
  test(`${protocol} DC on a virtual clock over the memory link: EVSE meter ≈ EV battery energy`, async () => {
    const clock = createVirtualClock();
    const [a, b] = createMemoryLink({ latencyMs: 2, timers: clock });
    const secc = runSeccSession(a, { mode: "dc", config: { protocols: [protocol] }, timers: clock });
    const ev = runEvccSession(b, {
      mode: "dc",
      config: { protocols: [protocol] },
      readings: { fullSocPercent: 60 },
      plant: { socPercent: 50, battery: { capacityWh: 2_000 } },
      timers: clock,
    });
    let e: SessionSummary | undefined;
    let s: SessionSummary | undefined;
    void ev.done.then((x) => {
      e = x;
    });
    void secc.done.then((x) => {
      s = x;
    });
    const t0 = performance.now();
    await clock.run(() => e !== undefined && s !== undefined, 10 * 60_000);
    const wall = performance.now() - t0;
    assert.ok(e && s, "both sessions ended");
    assert.equal(e.stopReason, "terminated", e.stopDetail);
    assert.equal(s.stopReason, "terminated", s.stopDetail);
    assert.ok(e.durationMs > 2_000, `virtual duration ${e.durationMs} ms covers the isolation test`);
    assert.ok(e.socEndPercent! >= 60);
    const rel = Math.abs(s.energyDeliveredWh - e.energyDeliveredWh) / e.energyDeliveredWh;
    assert.ok(
      rel < 0.05,
      `EVSE ${s.energyDeliveredWh.toFixed(1)} Wh vs EV ${e.energyDeliveredWh.toFixed(1)} Wh`,
    );
    assert.ok(e.responseTimesMs.median >= 4, "round trip includes 2 × 2 ms virtual latency");
    console.log(
      `# ${protocol}: ${(e.durationMs / 1000).toFixed(1)} s virtual in ${wall.toFixed(0)} ms, EVSE ${s.energyDeliveredWh.toFixed(1)} Wh, EV ${e.energyDeliveredWh.toFixed(1)} Wh`,
    );
  });
}
