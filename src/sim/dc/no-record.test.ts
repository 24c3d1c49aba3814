import assert from "node:assert/strict";
import { test } from "node:test";
import { DcSession, type DcSessionOptions } from "./session.js";
import { SHORT_DC_SESSION } from "./v2g-test-support.js";

const base: DcSessionOptions = SHORT_DC_SESSION;

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
