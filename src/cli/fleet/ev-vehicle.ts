/**
 * One vehicle of `nacs ev --fleet`: the same EV controller as `nacs ev` (`startLiveEv`, DC, no SLAC) on
 * pair i's board (`--board` per pair, {@link fleetBoardSpec}), SDP to `--sdp-port` + i. Its result is small
 * (what the fleet summary needs): how it ended, the phase it failed in, set-up time, charge-loop round
 * trips, energy.
 */
import { dcBatteryConfig, EV_DEFAULT_OBC, evDcConfig, packTerminalV } from "../../ev/dc/index.js";
import { applyEvProfile, profileBattery } from "../../ev/profiles.js";
import { powerModuleConfig } from "../../evse/dc/index.js";
import type { BoardMuxClient } from "../../link/board/mux-client.js";
import { type LiveEv, startLiveEv } from "../../link/host/live-ev.js";
import { LIVE_SESSION_SAMPLES_PER_MESSAGE, type LiveSessionSummary } from "../../link/host/live-session.js";
import type { TlsClientConfig } from "../../link/index.js";
import type { LinkLogger } from "../../link/logger.js";
import type { EvOptions } from "../commands/ev.js";
import { openBoard } from "../live/board.js";
import { normalEnd } from "../live/evse-host.js";
import { random } from "../live/slac-link.js";
import { fleetBoardSpec, LIVE_FLEET_DEFAULT_CHARGE_LOOP, vehicleChargeLoopMs } from "./options.js";
import { failurePhase } from "./phase.js";

/** Charge-loop samples dropped per vehicle (connection warm-up, JIT), as the load bench does. */
export const FLEET_RTT_WARMUP = 5;
/** Most charge-loop samples a vehicle reports (the first ones after the warm-up). Design choice. */
export const FLEET_RTT_MAX_SAMPLES = 2_000;

/** The charge-loop response of a protocol: ISO 15118-20 DC_ChargeLoopRes, else CurrentDemandRes. */
export const loopResponseOf = (protocol: string | null): string =>
  protocol === "iso20" ? "DC_ChargeLoopRes" : "CurrentDemandRes";
/** Whether `name` is the charge-loop response of any protocol. */
export const isLoopResponse = (name: string): boolean =>
  name === "CurrentDemandRes" || name === "DC_ChargeLoopRes";

/** What a vehicle reports to the fleet. */
export interface VehicleResult {
  index: number;
  /** Reached the charge loop (or was stopped by the fleet before) and ended normally. */
  ok: boolean;
  stopReason: string | null;
  /** Why it failed (the stop reason, or what the fleet saw), and the phase it was in; null when ok. */
  failure: { phase: string; reason: string } | null;
  reachedLoop: boolean;
  /** Plug-in → first charge-loop response (ms), null when it never got one. */
  setupMs: number | null;
  energyWh: number;
  /** Charge-loop round trips past the warm-up (ms). */
  rtt: number[];
}

/** A started vehicle. */
export interface FleetVehicle {
  readonly index: number;
  readonly live: LiveEv;
  /** The EV controller reached SDP (pilot and board up). */
  reachedSdp(): boolean;
  /** Its first charge-loop round trips (ms, at most {@link LIVE_SESSION_SAMPLES_PER_MESSAGE}), in order. */
  loopRtt(): readonly number[];
  /** Resolves once its charge loop started (first CurrentDemandReq sent), never if it does not. */
  readonly inLoop: Promise<void>;
  close(): Promise<void>;
}

/** Start vehicle `i` (plugs in as its controller attaches to the board). */
export async function startFleetVehicle(
  o: EvOptions,
  i: number,
  tls: TlsClientConfig | undefined,
  log: LinkLogger,
  extra: {
    /** The board mux hosting this pair's simulated cable, if any (else its own socket). */
    mux?: BoardMuxClient | undefined;
    /** Each charge-loop round trip (ms) as it is measured. */
    onLoopRtt?(ms: number): void;
  } = {},
): Promise<FleetVehicle> {
  const { mux } = extra;
  const battery = profileBattery(o.evProfile, dcBatteryConfig(o.evClass, o.batteryKwh));
  const board = await openBoard(
    "ev",
    fleetBoardSpec(o.board, i),
    {
      module: powerModuleConfig(),
      battery,
      socPercent: o.soc,
      seed: null,
      energyTimeScale: o.timeScale,
      obcMaxCurrentA: EV_DEFAULT_OBC.maxCurrentA,
    },
    log,
    mux ? { stream: mux.open(i), where: `board mux ${mux.where}` } : undefined,
  );
  let sdp = false;
  const loop: number[] = [];
  let enterLoop!: () => void;
  const inLoop = new Promise<void>((r) => {
    enterLoop = r;
  });
  let live: LiveEv;
  try {
    live = await startLiveEv({
      config: applyEvProfile(
        o.evProfile,
        evDcConfig({
          battery,
          slac: { mac: Uint8Array.of(0x02, 0x4e, 0x45, i >> 16, (i >> 8) & 0xff, i & 0xff), random },
          evcc: {
            protocols: o.protocol,
            ...(o.control && { iso20ControlMode: o.control }),
            ...(o.service?.endsWith("-bpt") && { bidirectional: true }),
          },
          energy: "dc",
          targetSocPercent: o.targetSoc,
          ...(o.service?.endsWith("-bpt") && { discharge: true }),
          ...(o.minSoc !== undefined && { minSocPercent: o.minSoc }),
          s2CloseDelayMs: o.s2Delay * 1000,
          matching: "none",
          tls: o.tls,
          currentDemandIntervalMs: vehicleChargeLoopMs(o.chargeLoopMs ?? LIVE_FLEET_DEFAULT_CHARGE_LOOP, i),
        }),
      ),
      socPercent: o.soc,
      ...(board.port.name.startsWith("sim") ? { energyTimeScale: o.timeScale } : {}),
      batteryVoltageV: packTerminalV(battery, o.soc, 0),
      board: board.port,
      network: {
        iface: o.iface,
        slac: null,
        modem: "none",
        sdpServerPort: o.sdpPort + i,
        ...(o.sdpTarget !== undefined ? { sdpTarget: o.sdpTarget } : {}),
        ...(tls ? { tls } : {}),
        logger: log,
      },
      onPhase: (p) => {
        if (p === "sdp" || p === "session") sdp = true;
      },
      // the vehicle keeps its charge loop's first round trips itself, the session none (its histogram and
      // samples of every message would only burden the garbage collector of a worker of thousands)
      sessionResponseTimes: false,
      onResponseTime: (name: string, ms: number) => {
        if (!isLoopResponse(name)) return;
        if (loop.length < LIVE_SESSION_SAMPLES_PER_MESSAGE) loop.push(ms);
        extra.onLoopRtt?.(ms);
      },
      onSessionPhase: (p) => {
        if (p === "charging") enterLoop();
      },
      logger: log,
    });
  } catch (e) {
    await board.close();
    throw e;
  }
  return {
    index: i,
    live,
    reachedSdp: () => sdp,
    loopRtt: () => loop,
    inLoop,
    async close() {
      // the simulated cable hosted here is pulled first (the EVSE sees state A), as `nacs ev` leaves
      if (board.world?.cable.plugged) board.world.unplug();
      await live.close();
      await board.close();
    },
  };
}

/**
 * A vehicle's result from its session report and its first charge-loop round trips (`loop`, ms, in order;
 * {@link FleetVehicle.loopRtt}). `note`: what the fleet saw besides (no charge loop in time, no end in
 * time), which makes it a failure whatever the report says; `stoppedEarly`: the fleet stopped it before
 * its charge loop (not a failure).
 */
export function vehicleResult(
  i: number,
  s: LiveSessionSummary,
  loop: readonly number[],
  reachedSdp: boolean,
  note: string | null,
  stoppedEarly = false,
): VehicleResult {
  const charging = s.phases.find((p) => p.phase === "charging");
  const reachedLoop = loop.length > 0;
  const ok = note === null && normalEnd(s) && (reachedLoop || stoppedEarly);
  const reason = note ?? s.stopReason ?? "no stop reason";
  return {
    index: i,
    ok,
    stopReason: s.stopReason,
    failure: ok
      ? null
      : {
          phase: failurePhase({
            protocol: s.protocol,
            messageCounts: s.messageCounts,
            phases: s.phases,
            v2gConnections: s.v2gConnections,
            reachedSdp,
          }),
          reason: reachedLoop || note !== null || !normalEnd(s) ? reason : `${reason} before the charge loop`,
        },
    reachedLoop,
    setupMs: charging && reachedLoop ? Math.round((charging.atMs + loop[0]!) * 1000) / 1000 : null,
    energyWh: s.energyDeliveredWh,
    rtt: loop.slice(FLEET_RTT_WARMUP, FLEET_RTT_WARMUP + FLEET_RTT_MAX_SAMPLES),
  };
}

/** A vehicle that never got as far as a session report (its board or network did not open). */
export function vehicleNotStarted(i: number, reason: string): VehicleResult {
  return {
    index: i,
    ok: false,
    stopReason: null,
    failure: { phase: "plug-in", reason },
    reachedLoop: false,
    setupMs: null,
    energyWh: 0,
    rtt: [],
  };
}
