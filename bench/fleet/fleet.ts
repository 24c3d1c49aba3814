/**
 * A fleet of live J3400 charging pairs for the benches: N EVSE controllers (`startLiveEvse`) in one
 * process and N EV controllers (`startLiveEv`) in another, each pair on its own simulated cable shared
 * through a unix socket (`--board sim:SOCKET`, hosted by the EV process, which starts first), its V2G
 * session over TCP or TLS on [::1], its own SDP port. Exactly what `nacs evse` + `nacs ev` run, N times
 * over: the same controllers, board links and network ports, no SLAC (loopback has no PLC).
 */

import { openBoard, openBoardOnThread } from "../../src/cli/live/board.js";
import { dcBatteryConfig, evDcConfig, packTerminalV } from "../../src/ev/dc/index.js";
import { evseDcConfig, powerModuleConfig } from "../../src/evse/dc/index.js";
import type { BoardThread } from "../../src/link/board/board-thread.js";
import type { EvBoardPort, EvseBoardPort } from "../../src/link/host/board-port.js";
import { type LiveEv, startLiveEv } from "../../src/link/host/live-ev.js";
import { type LiveEvse, startLiveEvse } from "../../src/link/host/live-evse.js";
import type { LiveSessionSummary } from "../../src/link/host/live-session.js";
import type { TlsClientConfig, TlsServerConfig } from "../../src/link/index.js";
import { silentLogger } from "../../src/link/logger.js";
import type { SeccReadings } from "../../src/v2g/index.js";

/** What both sides of a fleet agree on. */
export interface FleetSpec {
  /** Pairs in the whole fleet. */
  count: number;
  /** An EV process runs pairs `first` … `first + share − 1` (default: all of them). */
  first?: number;
  share?: number;
  /** Directory of the world sockets (`w<i>.sock`). */
  dir: string;
  /** SDP port of pair i: `sdpPortBase + i`. */
  sdpPortBase: number;
  protocol: "din" | "iso2" | "iso20";
  /** Pause between CurrentDemandReq of one EV (ms); with `loopMaxMs`, each EV draws its own in between. */
  loopMs: number;
  loopMaxMs?: number;
  /** Energy time scale of the simulated battery (`--time-scale`). */
  timeScale: number;
}

/** The charge-loop response whose timing the benches read: ISO 15118-20 DC_ChargeLoopRes, else CurrentDemandRes. */
export function loopResponse(protocol: FleetSpec["protocol"]): string {
  return protocol === "iso20" ? "DC_ChargeLoopRes" : "CurrentDemandRes";
}

/** CurrentDemand samples dropped per session (connection warm-up, JIT). */
export const FLEET_WARMUP = 5;

const worldSpec = (s: FleetSpec, i: number) => `sim:${s.dir}/w${i}.sock`;
const battery = () => dcBatteryConfig("800v", 200);
const SOC_START = 10;

/** One EVSE of the fleet, with its board; `sessions` collects its session reports. */
export interface FleetEvse {
  live: LiveEvse;
  sessions: LiveSessionSummary[];
  close(): Promise<void>;
}

/** Start EVSE `i` (its EV's world must be hosted already); `onResponseTime` gets every SECC sample. */
export async function startFleetEvse(
  s: FleetSpec,
  i: number,
  tls?: TlsServerConfig,
  onResponseTime?: (name: string, ms: number) => void,
  /** SECC readings other than the defaults (e.g. EIM authorisation pending until a CSMS answers). */
  readings?: SeccReadings,
  /** Run the board link on this board thread (with the emergency-stop interlock). */
  thread?: BoardThread,
): Promise<FleetEvse> {
  const module = powerModuleConfig("1000v", 150_000);
  const settings = {
    module,
    battery: battery(),
    socPercent: SOC_START,
    seed: null,
    energyTimeScale: s.timeScale,
  };
  const board = thread
    ? await openBoardOnThread(thread, "evse", worldSpec(s, i), settings, silentLogger)
    : await openBoard("evse", worldSpec(s, i), settings, silentLogger);
  const sessions: LiveSessionSummary[] = [];
  const live = await startLiveEvse({
    config: (sdp) =>
      evseDcConfig({
        module,
        slac: { mac: Uint8Array.of(2, 0, 0, 1, i >> 8, i & 0xff), random: (n) => new Uint8Array(n).fill(i) },
        sdp,
        matching: "none",
        secc: { protocols: [s.protocol], seed: i + 1, ...(readings && { readings }) },
      }),
    board: board.port as EvseBoardPort,
    network: {
      iface: "lo",
      slac: null,
      sdpPort: s.sdpPortBase + i,
      v2g: { host: "::1", ...(tls ? { tls } : {}) },
      logger: silentLogger,
    },
    onSession: (x) => sessions.push(x),
    ...(onResponseTime ? { onResponseTime } : {}),
    logger: silentLogger,
  });
  return {
    live,
    sessions,
    async close() {
      await live.close();
      await board.close();
    },
  };
}

/** EV `i`'s pause between CurrentDemandReq: spread evenly over loopMs…loopMaxMs (deterministic). */
function loopMsOf(s: FleetSpec, i: number): number {
  const max = s.loopMaxMs ?? s.loopMs;
  return s.count > 1 ? Math.round(s.loopMs + ((max - s.loopMs) * i) / (s.count - 1)) : s.loopMs;
}

/** One EV of the fleet, with its board (it hosts the pair's world). */
export interface FleetEv {
  live: LiveEv;
  /** Pull the simulated cable (the EVSE sees state A and reports its session). */
  unplug(): void;
  /** Press the charger's emergency-stop button in the simulated world (the EVSE's board reports it). */
  pressEmergencyStop(): void;
  close(): Promise<void>;
}

/** Start EV `i`: it hosts the pair's world and plugs in; it charges from 10 % toward 100 % of 200 kWh. */
export async function startFleetEv(s: FleetSpec, i: number, tls?: TlsClientConfig): Promise<FleetEv> {
  const b = battery();
  const board = await openBoard(
    "ev",
    worldSpec(s, i),
    {
      module: powerModuleConfig(),
      battery: b,
      socPercent: SOC_START,
      seed: null,
      energyTimeScale: s.timeScale,
    },
    silentLogger,
  );
  const live = await startLiveEv({
    config: evDcConfig({
      battery: b,
      slac: { mac: Uint8Array.of(2, 0, 0, 2, i >> 8, i & 0xff), random: (n) => new Uint8Array(n).fill(i) },
      evcc: { protocols: [s.protocol] },
      targetSocPercent: 100,
      currentDemandIntervalMs: loopMsOf(s, i),
      matching: "none",
    }),
    socPercent: SOC_START,
    batteryVoltageV: packTerminalV(b, SOC_START, 0),
    energyTimeScale: s.timeScale,
    board: board.port as EvBoardPort,
    network: {
      iface: "lo",
      slac: null,
      sdpServerPort: s.sdpPortBase + i,
      ...(tls ? { tls } : {}),
      logger: silentLogger,
    },
    logger: silentLogger,
  });
  return {
    live,
    unplug() {
      if (board.world?.cable.plugged) board.world.unplug();
    },
    pressEmergencyStop() {
      board.world?.setEmergencyButton(true);
    },
    async close() {
      if (board.world?.cable.plugged) board.world.unplug();
      await live.close();
      await board.close();
    },
  };
}
