/**
 * Event-resolution `sample` records: besides the one every second, the simulator records a sample whenever
 * voltage / current / power / SOC / CP / an EV target moved, at most one per millisecond and a bounded
 * number per second — so an over-current trip's spike is in the record, with the EV's targets and the
 * EVSE's limits beside it. V2G messages carry their EXI payload so a viewer can decode them.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { iso2 } from "../../codecs/index.js";
import { hexToBytes } from "../../exi/hex.js";
import type { RecordEvent } from "../record/types.js";
import { SIM_RECORD_CHANGE_CAP_PER_S, SIM_RECORD_MIN_SPACING_MS } from "./constants.js";
import { runDcSession } from "./session.js";

function run(fault?: "over-current") {
  const rec: RecordEvent[] = [];
  const r = runDcSession({
    batteryKwh: 75,
    socStart: 20,
    targetSoc: fault ? 80 : 25,
    chargerKw: 250,
    protocol: "iso2",
    seed: 1,
    ...(fault && { fault }),
    onRecord: (e) => rec.push(e),
  });
  return { r, rec, samples: rec.filter((e) => e.type === "sample") };
}

test("record: the over-current spike between the fault and the trip is sampled at ms resolution", () => {
  const { r, rec, samples } = run("over-current");
  assert.equal(r.stopReason, "over-current");
  const injected = rec.find((e) => e.type === "fault")!.t;
  const trip = rec.find((e) => e.type === "trip")!.t;
  const before = samples.filter((e) => e.t <= injected).at(-1)!;
  const spike = samples.filter((e) => e.t > injected && e.t <= trip);
  assert.ok(
    spike.length >= 3,
    `${spike.length} samples between the fault (${injected} s) and the trip (${trip} s)`,
  );
  const peak = Math.max(...spike.map((e) => Number(e.i)));
  assert.ok(peak >= Number(before.i) + 50, `peak ${peak} A over ${before.i} A before the fault`);
  assert.ok(peak > Number(spike[0]!.evTargetA), "the current ran above the EV's target");
  // after the trip the current is seen falling to 0 within milliseconds
  const after = samples.find((e) => e.t > trip && Number(e.i) === 0)!;
  assert.ok(after.t - trip < 0.01, `0 A sampled ${((after.t - trip) * 1000).toFixed(0)} ms after the trip`);
});

test("record: samples carry the EV's targets and the EVSE's limits; spacing ≥ 1 ms, bounded per second", () => {
  const { samples } = run();
  const charging = samples.filter((e) => Number(e.i) > 10);
  assert.ok(charging.length > 0);
  for (const e of charging) {
    assert.equal(typeof e.evTargetV, "number");
    assert.equal(typeof e.evTargetA, "number");
    assert.equal(e.evseMaxA, 400);
    assert.equal(e.evseMaxW, 250_000);
  }
  const perSecond = new Map<number, number>();
  for (let k = 0; k < samples.length; k++) {
    const s = samples[k]!;
    if (k > 0) {
      const gapMs = Math.round((s.t - samples[k - 1]!.t) * 1000);
      assert.ok(gapMs >= SIM_RECORD_MIN_SPACING_MS, `samples ${gapMs} ms apart at ${s.t} s`);
    }
    perSecond.set(Math.floor(s.t), (perSecond.get(Math.floor(s.t)) ?? 0) + 1);
  }
  const most = Math.max(...perSecond.values());
  assert.ok(most <= SIM_RECORD_CHANGE_CAP_PER_S + 1, `${most} samples in one second`);
  // the current ramp is sampled finer than once a second
  assert.ok(most > 5, `at most ${most} samples in any second`);
});

test("record: every V2G message carries its EXI payload (hex), which decodes to the message it names", () => {
  const { rec } = run();
  const msgs = rec.filter((e) => e.type === "msg");
  assert.ok(msgs.length > 20);
  for (const m of msgs) {
    assert.match(String(m.bytes), /^([0-9A-F]{2})+$/, `${m.name}: hex payload`);
    assert.equal(m.dir, m.from === "evse" ? "tx" : "rx");
    assert.equal(m.payloadType, 0x8001);
    if (String(m.name).startsWith("supportedAppProtocol")) continue;
    const body = iso2.decode(hexToBytes(String(m.bytes))).Body as Record<string, unknown>;
    assert.ok(String(m.name) in body, `${m.name} decodes to ${Object.keys(body)}`);
  }
});
