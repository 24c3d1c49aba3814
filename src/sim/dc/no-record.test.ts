import assert from "node:assert/strict";
import { test } from "node:test";
import { DcSession, type DcSessionOptions } from "./session.js";

const base: DcSessionOptions = {
  batteryKwh: 40,
  socStart: 70,
  targetSoc: 74,
  chargerKw: 150,
  protocol: "iso2",
  seed: 9,
};

/** The summary without the wall-clock processing times (host timing, never equal twice). */
function figures(o: DcSessionOptions) {
  const s = new DcSession(o);
  const { responseTimesMs: _rt, events, ...rest } = s.run();
  return { rest, events, sim: s.sim };
}

test("timeline: false records nothing and builds no samples, yet every figure is the one of a recorded run", () => {
  const cases: Partial<DcSessionOptions>[] = [
    {},
    { protocol: "din", evClass: "400v" },
    { protocol: "iso20", control: "scheduled" },
    { fault: "over-current" },
    { fault: "cp-open", protocol: "din" },
  ];
  for (const c of cases) {
    const o = { ...base, ...c };
    let recorded = 0;
    const full = figures({ ...o, onRecord: () => recorded++ });
    const bare = figures({ ...o, timeline: false });
    assert.ok(recorded > 0);
    assert.equal(bare.sim.recording, false, "no sink behind the simulator");
    assert.deepEqual(bare.events, [], "no timeline");
    assert.ok(full.events.length > 0);
    assert.deepEqual(bare.rest, full.rest, JSON.stringify(c));
  }
});
