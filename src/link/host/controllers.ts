/**
 * The EVSE and the EV controller as hosts run them: the pure controller (`stepEvseDc` / `stepEvDc`) on the
 * one machine driver (src/machine), with its effects routed to port adapters. A host differs from another
 * only in the adapters it passes: the simulator's world and in-memory network, or a board link and real
 * sockets. Timers are the driver's; every other effect goes to `board` (the hardware: pilot, relays,
 * power module, isolation monitor, on-board charger, lock) or `network` (SLAC frames, SDP datagrams, the V2G connection),
 * and then to `observe` (record, summary, dashboard). Platform-neutral.
 */
import type { EvDcEffect, EvDcEvent, EvDcState } from "../../ev/dc/index.js";
import { stepEvDc } from "../../ev/dc/index.js";
import type { EvseDcEffect, EvseDcEvent, EvseDcState } from "../../evse/dc/index.js";
import { stepEvseDc } from "../../evse/dc/index.js";
import {
  type Clock,
  createMachineDriver,
  type MachineDriver,
  type StepFunction,
  type TimedEvent,
} from "../../machine/index.js";

/** EVSE effects a board carries out. */
export type EvseBoardEffect = Extract<EvseDcEffect, { kind: "duty" | "module" | "contactors" | "isolation" }>;
/** EVSE effects the network carries out. */
export type EvseNetworkEffect = Extract<
  EvseDcEffect,
  { kind: "slac-send" | "slac-set-key" | "sdp-reply" | "v2g-send" | "v2g-close" }
>;
/** EVSE events a board produces (readings). */
export type EvseBoardEvent = Extract<
  EvseDcEvent,
  { kind: "cp" | "cp-fault" | "diode" | "pp" | "measure" | "emergency-stop" }
>;
/** EV events a board produces (readings). */
export type EvBoardEvent = Extract<EvDcEvent, { kind: "duty" | "pp" | "lock" | "inlet" | "bms" }>;
/** EV effects a board carries out. */
export type EvBoardEffect = Extract<EvDcEffect, { kind: "s2" | "contactors" | "charger" | "lock" }>;
/** EV effects the network carries out. */
export type EvNetworkEffect = Extract<
  EvDcEffect,
  { kind: "slac-send" | "slac-set-key" | "sdp-send" | "v2g-connect" | "v2g-send" | "v2g-close" }
>;

/** The adapters of one controller. */
export interface ControllerPorts<B, N, F> {
  board(command: B): void;
  network(effect: N): void;
  /** Every effect but the timer ones, after the port carried it out (record, summary, dashboard). */
  observe?(effect: F, tMs: number): void;
}
/** Ports of the EVSE controller. */
export type EvsePorts = ControllerPorts<EvseBoardEffect, EvseNetworkEffect, EvseDcEffect>;
/** Ports of the EV controller. */
export type EvPorts = ControllerPorts<EvBoardEffect, EvNetworkEffect, EvDcEffect>;

/** Options of {@link createEvseHost} / {@link createEvHost}. */
export interface ControllerHostOptions<S, E, F, P> {
  /** The controller's initial state (`initialEvseDc(config)` / `initialEvDc(config, …)`). */
  state: S;
  clock: Clock;
  ports: P;
  /** After each step: event, effects and the host time the step took (ms). */
  onStep?(event: E, effects: readonly F[], stepMs: number): void;
  /** Host clock for `onStep` (wall ms) when `clock` is virtual. */
  hostClock?: () => number;
  /** The controller threw (a bug): the host stops it; default rethrow. */
  onError?(err: unknown, event: E): void;
  /** Re-arm timers lazily (the driver's `lazyTimers`): for hosts on the wall clock. */
  lazyTimers?: boolean;
}

const EVSE_BOARD: ReadonlySet<string> = new Set(["duty", "module", "contactors", "isolation"]);
const EVSE_NETWORK: ReadonlySet<string> = new Set([
  "slac-send",
  "slac-set-key",
  "sdp-reply",
  "v2g-send",
  "v2g-close",
]);
const EV_BOARD: ReadonlySet<string> = new Set(["s2", "contactors", "charger", "lock"]);
const EV_NETWORK: ReadonlySet<string> = new Set([
  "slac-send",
  "slac-set-key",
  "sdp-send",
  "v2g-connect",
  "v2g-send",
  "v2g-close",
]);

function hostController<S, E extends TimedEvent, F extends { kind: string }, B, N>(
  step: StepFunction<S, E, F>,
  board: ReadonlySet<string>,
  network: ReadonlySet<string>,
  o: ControllerHostOptions<S, E, F, ControllerPorts<B, N, F>>,
): MachineDriver<S, E> {
  const { ports } = o;
  return createMachineDriver<S, E, F>({
    step,
    state: o.state,
    clock: o.clock,
    perform(f, d) {
      if (board.has(f.kind)) ports.board(f as unknown as B);
      else if (network.has(f.kind)) ports.network(f as unknown as N);
      ports.observe?.(f, d.now());
    },
    ...(o.onStep ? { onStep: o.onStep } : {}),
    ...(o.hostClock ? { hostClock: o.hostClock } : {}),
    ...(o.onError ? { onError: o.onError } : {}),
    ...(o.lazyTimers ? { lazyTimers: true } : {}),
  });
}

/** Run the EVSE DC controller on `o.clock` with the given ports. */
export function createEvseHost(
  o: ControllerHostOptions<EvseDcState, EvseDcEvent, EvseDcEffect, EvsePorts>,
): MachineDriver<EvseDcState, EvseDcEvent> {
  return hostController(stepEvseDc, EVSE_BOARD, EVSE_NETWORK, o);
}

/** Run the EV DC controller on `o.clock` with the given ports. */
export function createEvHost(
  o: ControllerHostOptions<EvDcState, EvDcEvent, EvDcEffect, EvPorts>,
): MachineDriver<EvDcState, EvDcEvent> {
  return hostController(stepEvDc, EV_BOARD, EV_NETWORK, o);
}
