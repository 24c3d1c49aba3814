/**
 * The simulated world as a board, in-process: a {@link BoardPort} whose commands go straight to the
 * {@link DcWorld} and whose readings are the world's readings for that side. Attaching delivers the
 * side's current state first, as a board does after its hello (docs/board-protocol.md §Handshake).
 * Platform-neutral.
 */
import type { BoardRole } from "../../link/board/messages.js";
import type { EvBoardPort, EvseBoardPort } from "../../link/host/board-port.js";
import type {
  EvBoardEffect,
  EvBoardEvent,
  EvseBoardEffect,
  EvseBoardEvent,
} from "../../link/host/controllers.js";
import { classifyPp, DUTY_F, diodeVerified, ppVoltage } from "../../pilot/index.js";
import { evMeasuredDuty, ppSeenByEv } from "../cable.js";
import type { DcWorld, WorldSides } from "../dc/world.js";

/** Name of an in-process simulated board. */
export const WORLD_PORT_NAME = "sim";

/**
 * Route the world's readings for `role` to `fn` (the other side is kept). Returns the function that
 * detaches `fn` again (only if it is still the one installed).
 */
export function setWorldSide<R extends BoardRole>(world: DcWorld, role: R, fn: WorldSides[R]): () => void {
  const s = world.sides;
  world.sides =
    role === "evse"
      ? { evse: fn as WorldSides["evse"], ev: s.ev }
      : { evse: s.evse, ev: fn as WorldSides["ev"] };
  return () => {
    if (world.sides[role] !== fn) return;
    const now = world.sides;
    world.sides = role === "evse" ? { evse() {}, ev: now.ev } : { evse: now.evse, ev() {} };
  };
}

/** What the EVSE board reports as its state right now: CP, PP, diode check. */
export function evseWorldState(world: DcWorld): EvseBoardEvent[] {
  const tMs = world.now;
  return [
    { kind: "cp", state: world.cp, tMs },
    { kind: "pp", state: ppNow(world), tMs },
    { kind: "diode", verified: diodeVerified(world.det), tMs },
  ];
}

/** What the EV board reports as its state right now: measured duty, PP, lock feedback. */
export function evWorldState(world: DcWorld): EvBoardEvent[] {
  const tMs = world.now;
  return [
    { kind: "duty", duty: world.cpToF ? 0 : evMeasuredDuty(world.cable), tMs },
    { kind: "pp", state: ppNow(world), tMs },
    { kind: "lock", locked: world.lock.locked, tMs },
  ];
}

/**
 * The EVSE board's own reaction to losing its host (docs/board-protocol.md §Heartbeat, link loss and
 * safety): power module off, isolation test stopped, DC contactors opened, pilot to steady −12 V (state F,
 * "EVSE not available", IEC 61851-1) so the EV stops as well.
 */
export function evseOutputsOff(world: DcWorld): void {
  world.evseCommand({ kind: "module", op: "off", emergency: true });
  world.evseCommand({ kind: "isolation", op: "stop" });
  world.evseCommand({ kind: "contactors", closed: false });
  world.evseCommand({ kind: "duty", duty: DUTY_F });
}

/**
 * The simulated vehicle leaves: S2 opened (state B, IEC 61851-1 / SAE J1772), EV contactors opened, lock
 * released, connector unplugged. Design choice: a live EV host going away takes its car with it.
 */
export function evLeaves(world: DcWorld): void {
  world.evCommand({ kind: "s2", closed: false });
  world.evCommand({ kind: "contactors", closed: false });
  world.evCommand({ kind: "lock", locked: false });
  if (world.cable.plugged) world.unplug();
}

function ppNow(world: DcWorld) {
  return classifyPp(ppVoltage(world.cable.components.ppNetwork, ppSeenByEv(world.cable)));
}

/** Options of {@link worldEvBoardPort}. */
export interface WorldEvPortOptions {
  /**
   * Plug the connector in when the EV controller attaches and unplug it when the port closes. Design
   * choice for live hosts: "the EV is plugged in when its controller attaches". Default false.
   */
  plugOnAttach?: boolean;
}

/** The world's EVSE side as an in-process board port. */
export function worldEvseBoardPort(world: DcWorld): EvseBoardPort {
  let detach: (() => void) | null = null;
  let closed = false;
  return {
    name: WORLD_PORT_NAME,
    command(c: EvseBoardEffect) {
      if (!closed) world.evseCommand(c);
    },
    attach(onReading) {
      if (closed) return;
      detach?.();
      detach = setWorldSide(world, "evse", onReading);
      world.at(world.now, () => {
        if (closed) return;
        for (const r of evseWorldState(world)) onReading(r);
        world.syncMeasurements(true, { bms: true });
      });
    },
    async close() {
      closed = true;
      detach?.();
      detach = null;
    },
  };
}

/** The world's EV side as an in-process board port. */
export function worldEvBoardPort(world: DcWorld, o: WorldEvPortOptions = {}): EvBoardPort {
  let detach: (() => void) | null = null;
  let closed = false;
  return {
    name: WORLD_PORT_NAME,
    command(c: EvBoardEffect) {
      if (!closed) world.evCommand(c);
    },
    pressButton(pressed) {
      if (!closed) world.pressButton(pressed);
    },
    attach(onReading) {
      if (closed) return;
      detach?.();
      detach = setWorldSide(world, "ev", onReading);
      world.at(world.now, () => {
        if (closed) return;
        for (const r of evWorldState(world)) onReading(r);
        world.syncMeasurements(true, { bms: true });
        if (o.plugOnAttach && !world.cable.plugged) world.plugIn();
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      detach?.();
      detach = null;
      if (o.plugOnAttach) evLeaves(world);
    },
  };
}
