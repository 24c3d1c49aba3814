import assert from "node:assert/strict";
import { test } from "node:test";
import { type BoardLink, createBoardLink } from "../../link/board/board-link.js";
import type { BoardError } from "../../link/board/errors.js";
import type { BoardReadingOf, BoardRole } from "../../link/board/messages.js";
import { type BoardStream, createBoardStreamCore, createBoardStreamPair } from "../../link/board/stream.js";
import { createFakeTimers } from "../../link/board/test-support.js";
import { evBoardLinkPort } from "../../link/host/board-port.js";
import { withHelloSim } from "./sim-settings.js";
import { testWorld } from "./test-support.js";
import { serveWorldRole } from "./world-server.js";

type Timers = ReturnType<typeof createFakeTimers>;

/** A host link for `role` served by `world` over an in-memory pair; `mute()` silences the host. */
function hostOf<R extends BoardRole>(
  timers: Timers,
  world: ReturnType<typeof testWorld>,
  role: R,
  wrap: (s: BoardStream) => BoardStream = (s) => s,
) {
  const [hostSide, boardSide] = createBoardStreamPair();
  let muted = false;
  const core = createBoardStreamCore({
    write: (c) => {
      if (!muted) hostSide.write(c);
    },
    close: () => hostSide.close(),
  });
  hostSide.onData((c) => core.data(c));
  hostSide.onClose((e) => core.end(e));
  const server = serveWorldRole(world, role, boardSide, { clock: timers, name: "test sim" });
  const link: BoardLink<R> = createBoardLink({ role, stream: wrap(core.stream), timers, host: "nacs test" });
  const readings: BoardReadingOf<R>[] = [];
  const lost: string[] = [];
  const errors: BoardError[] = [];
  link.onReading((r) => readings.push(r));
  link.onLost((l) => lost.push(l.reason));
  link.onError((e) => errors.push(e));
  const mute = (): void => {
    muted = true;
  };
  const lastOf = <T extends string>(type: T) =>
    readings.filter((r) => r.type === type).at(-1) as Extract<BoardReadingOf<R>, { type: T }> | undefined;
  return { server, link, readings, lost, errors, lastOf, mute };
}

test("served world: EVSE host gets the current state; an EV hello plugs in and the EVSE sees CP B", async () => {
  const timers = createFakeTimers();
  const world = testWorld(timers, { measureEveryMs: 100 });
  const evse = hostOf(timers, world, "evse");
  await timers.advance(10);
  const hello = await evse.link.ready;
  assert.deepEqual(hello.capabilities, ["sim"]);
  assert.equal(evse.lastOf("cp")?.state, "A");
  assert.equal(world.cable.plugged, false);

  const ev = hostOf(timers, world, "ev");
  await timers.advance(300);
  await ev.link.ready;
  assert.equal(world.cable.plugged, true, "the EV is plugged in when its host says hello");
  assert.equal(evse.lastOf("cp")?.state, "B");
  assert.equal(evse.lastOf("pp")?.state, "latched");

  evse.link.send({ type: "duty", duty: 5 });
  await timers.advance(300);
  assert.equal(ev.lastOf("duty")?.duty, 5);
  ev.link.send({ type: "s2", closed: true });
  await timers.advance(300);
  assert.equal(evse.lastOf("cp")?.state, "C");
  assert.ok(evse.lastOf("measure"), "periodic measurements reach the EVSE host");
  assert.ok(ev.lastOf("bms"), "periodic BMS readings reach the EV host");

  ev.link.close(); // bye: the EV leaves
  await timers.advance(300);
  assert.equal(world.cable.plugged, false);
  assert.equal(evse.lastOf("cp")?.state, "A");
  assert.deepEqual(evse.lost, []);
});

test("served world: EVSE host silent → the board switches its outputs off; the next host gets X1 back", async () => {
  const timers = createFakeTimers();
  const world = testWorld(timers, { measureEveryMs: 100 });
  const ev = hostOf(timers, world, "ev");
  const evse = hostOf(timers, world, "evse");
  await timers.advance(300);
  evse.link.send({ type: "duty", duty: 5 });
  evse.link.send({ type: "isolation", op: "start", voltageV: 500 });
  evse.link.send({ type: "contactors", closed: true });
  evse.link.send({ type: "module", op: "set", voltageV: 500, currentA: 10 });
  await timers.advance(500);
  assert.equal(world.path.on, true);
  assert.equal(world.path.k1, true);
  assert.equal(ev.lastOf("duty")?.duty, 5);

  evse.mute();
  await timers.advance(1000);
  assert.equal(world.path.on, false, "power module off");
  assert.equal(world.path.k1, false, "EVSE contactors open");
  assert.equal(world.cable.genDuty, 0, "pilot at state F (IEC 61851-1)");
  assert.equal(ev.lastOf("duty")?.duty, 0, "the EV sees state F");
  assert.deepEqual(evse.lost, ["heartbeat"], "the board stopped its heartbeat too");
  evse.server.close();

  const next = hostOf(timers, world, "evse");
  await timers.advance(300);
  assert.equal(next.readings.find((r) => r.type === "cp")?.type, "cp", "current CP state after the hello");
  assert.equal(world.cable.genDuty, 100, "pilot back at X1 for the new host");
  assert.equal(next.lastOf("cp")?.state, "B");
  assert.equal(ev.lastOf("duty")?.duty, 100);
});

test("served world: hello `sim` settings configure the world before plug-in; refused while plugged", async () => {
  const timers = createFakeTimers();
  const world = testWorld(timers);
  const sim = { battery: { voltageClass: "400v" as const, capacityWh: 40_000 }, socPercent: 50 };
  const ev = hostOf(timers, world, "ev", (s) => withHelloSim(s, sim));
  await timers.advance(300);
  await ev.link.ready;
  assert.equal(world.path.battery.voltageClass, "400v");
  assert.equal(world.path.battery.capacityWh, 40_000);
  assert.equal(world.path.battery.cellsInSeries, 96, "400 V class defaults");
  assert.equal(world.path.soc, 50);
  assert.equal(world.cable.plugged, true);
  assert.equal(ev.lastOf("bms")?.socPercent, 50);

  const evse = hostOf(timers, world, "evse", (s) =>
    withHelloSim(s, { module: { variant: "500v", maxPowerW: 50_000 } }),
  );
  await timers.advance(300);
  await evse.link.ready;
  assert.equal(world.path.module.variant, "1000v", "not applied while plugged in");
  assert.match(evse.errors.map((e) => e.message).join("\n"), /"sim" not applied: .*unplugged/);
});

test("served world: the EV host lost → S2 and contactors open, connector unplugged", async () => {
  const timers = createFakeTimers();
  const world = testWorld(timers);
  const ev = hostOf(timers, world, "ev");
  await timers.advance(300);
  ev.link.send({ type: "s2", closed: true });
  await timers.advance(100);
  assert.equal(world.cable.s2Closed, true);
  ev.mute();
  await timers.advance(1000);
  assert.equal(world.cable.s2Closed, false);
  assert.equal(world.cable.plugged, false);
  assert.equal(ev.server.live, false);
});

test("served world: the EV host's `button` command presses / releases the handle's release button (PP unlatched / latched on both sides)", async () => {
  const timers = createFakeTimers();
  const world = testWorld(timers, { measureEveryMs: 100 });
  const evse = hostOf(timers, world, "evse");
  const ev = hostOf(timers, world, "ev");
  await timers.advance(300);
  const hello = await ev.link.ready;
  assert.deepEqual(hello.capabilities, ["sim", "button"], "the EV side says it has the button");
  assert.equal(evse.lastOf("pp")?.state, "latched");
  // a port over a board without the capability has no button; with it, it sends the command
  assert.equal(evBoardLinkPort(ev.link, "b", () => 0).pressButton, undefined);
  evBoardLinkPort(ev.link, "b", () => 0, hello.capabilities).pressButton?.(true);
  await timers.advance(300);
  assert.equal(evse.lastOf("pp")?.state, "unlatched");
  assert.equal(ev.lastOf("pp")?.state, "unlatched");
  assert.deepEqual(ev.errors, [], "the board accepts the command");
  ev.link.send({ type: "button", pressed: false });
  await timers.advance(300);
  assert.equal(evse.lastOf("pp")?.state, "latched");
});
