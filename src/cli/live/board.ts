/**
 * `--board SPEC` of `nacs evse` / `nacs ev`: the simulated world (`sim`, or `sim:SOCKET` shared with the
 * other process), or a real board over the board protocol (`stdio:CMD`, `serial:DEV[@baud]`,
 * `tcp:HOST:PORT`, `unix:PATH`; docs/board-protocol.md).
 */

import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DcBatteryConfig } from "../../ev/dc/index.js";
import { OBC_DEFAULT_MAX_CURRENT_A } from "../../ev/obc.js";
import type { PowerModuleConfig } from "../../evse/dc/index.js";
import { overCurrentThresholdA, overVoltageThresholdV } from "../../evse/safety/limits.js";
import { openBoardStream, parseBoardSpec } from "../../link/board/adapters.js";
import { createBoardLink } from "../../link/board/board-link.js";
import { type BoardThread, formatInterlockAction } from "../../link/board/board-thread.js";
import type { BoardThreadMuxChannel } from "../../link/board/board-thread-messages.js";
import { BoardError } from "../../link/board/errors.js";
import type { BoardInterlock } from "../../link/board/interlock.js";
import type { BoardRole, HostHelloSim } from "../../link/board/messages.js";
import type { BoardStream } from "../../link/board/stream.js";
import {
  type EvBoardPort,
  type EvseBoardPort,
  evBoardLinkPort,
  evseBoardLinkPort,
  type PortLink,
} from "../../link/host/board-port.js";
import type { LinkLogger } from "../../link/logger.js";
import { type Clock, realClock } from "../../machine/index.js";
import { probeUnixSocket } from "../../sim/board/listen.js";
import { joinSharedWorld, joinSharedWorldOver } from "../../sim/board/shared-world.js";
import { helloSimOf } from "../../sim/board/sim-settings.js";
import { LIVE_BMS_REPORT } from "../../sim/dc/bms-report.js";
import { DcWorld } from "../../sim/dc/world.js";
import { createRng } from "../../sim/rng.js";
import { UsageError } from "../errors.js";

/** Where `--board sim` processes meet when no socket is named. */
export const DEFAULT_SHARED_WORLD_SOCKET = join(tmpdir(), "nacs-board-sim.sock");
/** Host identification in the board hello. */
export const BOARD_HOST_NAME = "nacs 0.1.0";
/** A simulated board measures and reports every this many ms on the wall clock (board protocol: 100 ms). */
const LIVE_WORLD_MEASURE_MS = 100;
/**
 * …every this many ms while the power path moves fast (a trip's wind-down, a runaway); at its ordinary pace
 * (a ramp, a slew) the periodic measurement suffices: each measurement is a line on a socket and a
 * controller step on each side, the largest share of a live fleet's work (design choice).
 */
const LIVE_WORLD_MEASURE_FLOOR_MS = 10;

/** What this process knows of the simulated world it may have to host. */
export interface LiveWorldSettings {
  module: PowerModuleConfig;
  battery: DcBatteryConfig;
  socPercent: number;
  seed: number | null;
  /** Energy moves this many times faster than real time (`--time-scale`). */
  energyTimeScale: number;
  /** EVSE: the charger's pins on the power module ("dc") or the mains relay ("ac", supply voltage). */
  supply?: { kind: "dc" } | { kind: "ac"; voltageV: number };
  /** EV: the on-board charger's maximum input current (A). */
  obcMaxCurrentA?: number;
}

/** An open board of one role, and the world when it is simulated in this process. */
export interface OpenBoard<P> {
  port: P;
  world: DcWorld | null;
  /** A simulated world hosted here: serve the other side's host arriving over a board mux channel. */
  accept?: (stream: BoardStream) => void;
  close(): Promise<void>;
}

/** A simulated world on the wall clock. */
export function createLiveWorld(s: LiveWorldSettings, clock: Clock = realClock): DcWorld {
  const world = new DcWorld({
    module: s.module,
    battery: s.battery,
    socStart: s.socPercent,
    clock,
    rng: s.seed === null ? null : createRng(s.seed),
    // the records go nowhere: neither `sample` records nor their periodic events
    record: () => {},
    sampleRecords: false,
    periodicSamples: false,
    measureEveryMs: LIVE_WORLD_MEASURE_MS,
    measureFloorMs: LIVE_WORLD_MEASURE_FLOOR_MS,
    slowMeasureMs: LIVE_WORLD_MEASURE_MS,
    bmsReport: LIVE_BMS_REPORT,
    energyTimeScale: s.energyTimeScale,
    ...(s.supply?.kind === "ac" && {
      ac: { supplyV: s.supply.voltageV, obcMaxA: s.obcMaxCurrentA ?? OBC_DEFAULT_MAX_CURRENT_A },
    }),
  });
  return world;
}

/** The `sim` hello field a joining host of `role` sends: its charger's module, or its vehicle's pack. */
function helloSimFor(role: BoardRole, settings: LiveWorldSettings): HostHelloSim {
  return helloSimOf(
    role === "evse"
      ? { module: settings.module, ...(settings.supply && { supply: settings.supply }) }
      : {
          battery: settings.battery,
          socPercent: settings.socPercent,
          ...(settings.obcMaxCurrentA !== undefined && { obcMaxCurrentA: settings.obcMaxCurrentA }),
        },
  );
}

/**
 * The EVSE's board-thread interlock: the emergency stop, and for DC the rated backstops (the over-voltage
 * threshold of IEC 61851-23 for the module's maximum voltage; its maximum current plus the over-current
 * margin); while the output is live, the connector unlatched, the pilot out of B/C/D and an isolation
 * fault. DC: the module's emergency off; AC: the relay opens.
 */
function interlockFor(settings: LiveWorldSettings): BoardInterlock {
  if (settings.supply?.kind === "ac") return { output: "ac" };
  return {
    output: "dc",
    maxVoltageV: overVoltageThresholdV(settings.module.maxVoltageV),
    maxCurrentA: overCurrentThresholdA(settings.module.maxCurrentA, 0),
  };
}

/** `--board SPEC` parsed; a bad spec is a usage error naming the option. */
function parseBoardOption(spec: string): ReturnType<typeof parseBoardSpec> {
  try {
    return parseBoardSpec(spec);
  } catch (e) {
    throw new UsageError((e as Error).message, "--board", { cause: e });
  }
}

/** A board error while opening `--board SPEC` as a usage error naming the option; anything else as is. */
function boardOptionError(spec: string, e: unknown): unknown {
  return e instanceof BoardError
    ? new UsageError(`option --board ${spec}: ${e.message}`, "--board", { cause: e })
    : e;
}

/** The board port of `role` over a ready link. */
function portOver<R extends BoardRole>(
  role: R,
  link: PortLink<"evse"> | PortLink<"ev">,
  name: string,
  capabilities: readonly string[],
): R extends "evse" ? EvseBoardPort : EvBoardPort {
  const now = () => realClock.now();
  return (
    role === "evse"
      ? evseBoardLinkPort(link as PortLink<"evse">, name, now)
      : evBoardLinkPort(link as PortLink<"ev">, name, now, capabilities)
  ) as R extends "evse" ? EvseBoardPort : EvBoardPort;
}

/**
 * Open `--board` for `role` with its link on the host's board thread (heartbeat, supervision and, for the
 * EVSE, the interlock off the sessions' event loop; each of its actions is logged at warn level). A board
 * in another process (`unix:`, `tcp:`, `serial:`, `stdio:`, or a `sim:SOCKET` world another process
 * hosts) is joined from the thread; a simulated world this process must host itself runs in-process as
 * with {@link openBoard}.
 */
export async function openBoardOnThread<R extends BoardRole>(
  thread: BoardThread,
  role: R,
  spec: string,
  settings: LiveWorldSettings,
  log: LinkLogger,
  /** `sim` only: join the world on this channel of a board mux (the process hosting it), named `where`. */
  via?: { mux: BoardThreadMuxChannel; where: string },
): Promise<OpenBoard<R extends "evse" ? EvseBoardPort : EvBoardPort>> {
  const parsed = parseBoardOption(spec);
  let target = spec;
  let sim: HostHelloSim | undefined;
  if (parsed.kind === "sim" && via) {
    target = via.where;
    sim = helloSimFor(role, settings);
  } else if (parsed.kind === "sim") {
    const path = parsed.path ?? DEFAULT_SHARED_WORLD_SOCKET;
    const probe = await probeUnixSocket(path).catch(() => null);
    if (probe?.kind !== "listening") return openBoard(role, spec, settings, log);
    probe.socket.destroy();
    target = `unix:${path}`;
    sim = helloSimFor(role, settings);
  }
  try {
    const link = await thread.open({
      role,
      spec: target,
      ...(via && parsed.kind === "sim" && { mux: via.mux }),
      host: BOARD_HOST_NAME,
      ...(sim && { sim }),
      ...(role === "evse" && { interlock: interlockFor(settings) }),
    });
    // said at warn level: the output went off before the controller's own trip, which follows
    link.onInterlock((n) =>
      log.warn(
        { interlock: n.cause, spec: n.spec, inputToOffMs: n.offAtMs - n.inputAtMs },
        `board thread interlock: ${formatInterlockAction(n)}`,
      ),
    );
    const name =
      parsed.kind === "sim" ? `sim (${target}, board thread)` : `${spec} (${link.board}, board thread)`;
    const port = portOver(role, link as unknown as PortLink<"evse">, name, link.capabilities);
    return { port, world: null, close: () => port.close() };
  } catch (e) {
    throw boardOptionError(spec, e);
  }
}

/** Open `--board` for `role`. Errors name the option, the value and what went wrong. */
export async function openBoard<R extends BoardRole>(
  role: R,
  spec: string,
  settings: LiveWorldSettings,
  log: LinkLogger,
  /** `sim` only: join the world over this stream (a board mux channel to the process hosting it). */
  via?: { stream: BoardStream; where: string },
): Promise<OpenBoard<R extends "evse" ? EvseBoardPort : EvBoardPort>> {
  type P = R extends "evse" ? EvseBoardPort : EvBoardPort;
  const parsed = parseBoardOption(spec);
  try {
    if (parsed.kind === "sim" && via) {
      const joined = await joinSharedWorldOver(
        { role, clock: realClock, sim: helloSimFor(role, settings), host: BOARD_HOST_NAME, logger: log },
        via.stream,
        via.where,
      );
      return { port: joined.port as P, world: null, close: () => joined.close() };
    }
    if (parsed.kind === "sim") {
      const shared = await joinSharedWorld({
        path: parsed.path ?? DEFAULT_SHARED_WORLD_SOCKET,
        role,
        clock: realClock,
        world: () => createLiveWorld(settings),
        sim: helloSimFor(role, settings),
        host: BOARD_HOST_NAME,
        logger: log,
      });
      return {
        port: shared.port as P,
        world: shared.world,
        ...(shared.accept && { accept: shared.accept }),
        close: () => shared.close(),
      };
    }
    const stream = await openBoardStream(spec);
    // Readings that arrive before the controller attaches wait in the link for it.
    const link = createBoardLink({ role, stream, timers: realClock, host: BOARD_HOST_NAME, logger: log });
    const hello = await link.ready;
    const port = portOver(
      role,
      link as PortLink<"evse">,
      `${spec} (${hello.board})`,
      hello.capabilities ?? [],
    );
    return { port, world: null, close: () => port.close() };
  } catch (e) {
    throw boardOptionError(spec, e);
  }
}
