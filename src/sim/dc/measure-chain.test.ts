import assert from "node:assert/strict";
import { test } from "node:test";
import { SIM_SLOW_SAMPLE_MS } from "./constants.js";
import { DcSession, type DcSessionOptions } from "./session.js";
import { SHORT_DC_SESSION } from "./v2g-test-support.js";

const base: DcSessionOptions = { ...SHORT_DC_SESSION, timeline: false };

/**
 * While the power path moves (the cable-check voltage ramp), the world measures on one chain of ticks
 * every {@link SIM_SLOW_SAMPLE_MS}: an event that re-arms the measuring at the moment a tick is due must not
 * start a second chain beside it (each would deliver every measurement again, for the rest of the ramp).
 */
test("world measuring while the path moves: one tick per period, not one chain per re-arm", () => {
  for (const protocol of ["iso2", "din", "iso20"] as const) {
    const s = new DcSession({ ...base, protocol });
    const times: number[] = [];
    const toEvse = s.sim.ctl.toEvse.bind(s.sim.ctl);
    s.sim.ctl.toEvse = (ev) => {
      if (ev.kind === "measure" && s.sim.phase === "cable-check") times.push(ev.tMs);
      toEvse(ev);
    };
    s.run();
    assert.ok(times.length > 10, `${protocol}: measured during the cable check`);
    const spanMs = (times[times.length - 1] ?? 0) - (times[0] ?? 0);
    // one tick per period, plus the measurements that V2G messages and commands bring (a few per second)
    const most = spanMs / SIM_SLOW_SAMPLE_MS + 40;
    assert.ok(
      times.length <= most,
      `${protocol}: ${times.length} measurements over ${spanMs} ms of cable check (at most ${Math.round(most)})`,
    );
  }
});

test("slowMeasureMs (--measure-ms): the ramp and slew measuring at that period; a trip still measured every 1 ms", () => {
  const cableCheck = (o: Partial<DcSessionOptions>) => {
    const s = new DcSession({ ...base, ...o });
    const times: number[] = [];
    const toEvse = s.sim.ctl.toEvse.bind(s.sim.ctl);
    s.sim.ctl.toEvse = (ev) => {
      if (ev.kind === "measure" && s.sim.phase === "cable-check") times.push(ev.tMs);
      toEvse(ev);
    };
    const r = s.run();
    return { n: times.length, spanMs: (times[times.length - 1] ?? 0) - (times[0] ?? 0), r };
  };
  const fine = cableCheck({});
  const coarse = cableCheck({ slowMeasureMs: 50 });
  assert.ok(coarse.n < fine.n / 2.5, `${coarse.n} vs ${fine.n} measurements in the cable check`);
  assert.ok(coarse.n >= coarse.spanMs / 50, `${coarse.n} over ${coarse.spanMs} ms`);
  assert.equal(coarse.r.stopReason, fine.r.stopReason);
  // over-current: detected, the output off within the same 1 ms measuring as at full fidelity
  const trip = (o: Partial<DcSessionOptions>) =>
    new DcSession({ ...base, fault: "over-current", ...o }).run();
  const a = trip({});
  const b = trip({ slowMeasureMs: 50 });
  assert.ok(a.safety.length > 0, "the fault tripped");
  assert.equal(b.stopReason, a.stopReason);
  assert.deepEqual(
    b.safety.map((t) => [t.fault, t.offAtMs !== null && t.offAtMs - t.detectedAtMs]),
    a.safety.map((t) => [t.fault, t.offAtMs !== null && t.offAtMs - t.detectedAtMs]),
  );
});
