import assert from "node:assert/strict";
import { test } from "node:test";
import { dcBatteryConfig } from "../../ev/dc/battery.js";
import { powerModuleConfig } from "../../evse/dc/power-module.js";
import { createFakeTimers } from "../../link/board/test-support.js";
import type { EvBoardEvent, EvseBoardEvent } from "../../link/host/controllers.js";
import { testWorld } from "./test-support.js";
import { worldEvBoardPort, worldEvseBoardPort } from "./world-port.js";

function setup() {
  const clock = createFakeTimers();
  const world = testWorld(clock);
  const evse = worldEvseBoardPort(world);
  const ev = worldEvBoardPort(world);
  const toEvse: EvseBoardEvent[] = [];
  const toEv: EvBoardEvent[] = [];
  evse.attach(
    (r) => toEvse.push(r),
    () => assert.fail("an in-process board is never lost"),
  );
  ev.attach(
    (r) => toEv.push(r),
    () => assert.fail("an in-process board is never lost"),
  );
  return { clock, world, evse, ev, toEvse, toEv };
}

const last = <T extends { kind: string }, K extends T["kind"]>(list: T[], kind: K) =>
  list.filter((x): x is Extract<T, { kind: K }> => x.kind === kind).at(-1);

test("world ports: named sim; attach reports the current state; plug-in gives CP B and PP latched", async () => {
  const s = setup();
  assert.equal(s.evse.name, "sim");
  await s.clock.advance(1);
  assert.equal(last(s.toEvse, "cp")?.state, "A");
  assert.equal(last(s.toEvse, "pp")?.state, "unplugged");
  assert.equal(last(s.toEv, "pp")?.state, "unplugged");
  s.world.plugIn();
  await s.clock.advance(300);
  assert.equal(last(s.toEvse, "cp")?.state, "B");
  assert.equal(last(s.toEvse, "pp")?.state, "latched");
  assert.equal(last(s.toEv, "pp")?.state, "latched");
  assert.equal(last(s.toEv, "duty")?.duty, 100, "X1 before the EVSE offers digital communication");
});

test("world ports: EVSE duty 5 reaches the EV's duty reading once plugged; S2 gives CP C", async () => {
  const s = setup();
  s.evse.command({ kind: "duty", duty: 5 });
  await s.clock.advance(100);
  assert.notEqual(last(s.toEv, "duty")?.duty, 5, "unplugged: the EV measures no PWM");
  s.world.plugIn();
  await s.clock.advance(300);
  assert.equal(last(s.toEv, "duty")?.duty, 5);
  s.ev.command({ kind: "s2", closed: true });
  await s.clock.advance(300);
  assert.equal(last(s.toEvse, "cp")?.state, "C");
});

test("world ports: contactors and module commands show in the measurements; lock feedback to the EV", async () => {
  const s = setup();
  s.world.plugIn();
  s.ev.command({ kind: "lock", locked: true });
  s.evse.command({ kind: "contactors", closed: true });
  s.evse.command({ kind: "module", op: "set", voltageV: 500, currentA: 10 });
  await s.clock.advance(1000);
  assert.equal(last(s.toEv, "lock")?.locked, true);
  assert.equal(s.world.path.k1, true);
  assert.equal(s.world.path.on, true);
  s.world.syncMeasurements(true);
  const m = last(s.toEvse, "measure")?.m;
  assert.equal(m?.contactorsClosed, true);
  assert.ok((m?.voltageV ?? 0) > 400, `output voltage rising toward 500 V: ${m?.voltageV}`);
  assert.ok(last(s.toEv, "inlet"), "the EV gets inlet readings");
  assert.ok(last(s.toEv, "bms"), "the EV gets BMS readings");
});

test("world ports: close detaches (no more readings, commands ignored); plugOnAttach plugs and unplugs", async () => {
  const s = setup();
  await s.evse.close();
  const n = s.toEvse.length;
  s.evse.command({ kind: "duty", duty: 5 });
  s.world.plugIn();
  await s.clock.advance(300);
  assert.equal(s.toEvse.length, n);
  assert.equal(s.world.cable.genDuty, 100);

  const clock = createFakeTimers();
  const world = testWorld(clock);
  const ev = worldEvBoardPort(world, { plugOnAttach: true });
  const got: EvBoardEvent[] = [];
  ev.attach(
    (r) => got.push(r),
    () => {},
  );
  await clock.advance(300);
  assert.equal(world.cable.plugged, true);
  assert.equal(last(got, "pp")?.state, "latched");
  await ev.close();
  assert.equal(world.cable.plugged, false);
});

test("DcWorld.configure: rebuilds the power path while unplugged, refuses while plugged", async () => {
  const clock = createFakeTimers();
  const world = testWorld(clock);
  const got: EvBoardEvent[] = [];
  worldEvBoardPort(world).attach(
    (r) => got.push(r),
    () => {},
  );
  world.configure({
    module: powerModuleConfig("500v", 50_000),
    battery: dcBatteryConfig("400v", 40),
    socPercent: 55,
  });
  assert.equal(world.path.module.maxPowerW, 50_000);
  assert.equal(world.path.battery.voltageClass, "400v");
  assert.equal(world.path.soc, 55);
  assert.equal(world.cfg.socStart, 55);
  assert.equal(last(got, "bms")?.socPercent, 55, "fresh BMS reading after configure");
  world.configure({ battery: dcBatteryConfig("800v", 90) });
  assert.equal(world.path.soc, 55, "SOC kept when not given");
  assert.throws(() => world.configure({ socPercent: 101 }), /0…100/);
  world.plugIn();
  assert.throws(() => world.configure({ socPercent: 30 }), /unplugged/);
});

test("world ports: the EV port presses the handle's release button (PP unlatched at the EVSE), and releases it", async () => {
  const s = setup();
  s.world.plugIn();
  await s.clock.advance(300);
  assert.equal(last(s.toEvse, "pp")?.state, "latched");
  s.ev.pressButton?.(true);
  await s.clock.advance(300);
  assert.equal(last(s.toEvse, "pp")?.state, "unlatched");
  s.ev.pressButton?.(false);
  await s.clock.advance(300);
  assert.equal(last(s.toEvse, "pp")?.state, "latched");
});
