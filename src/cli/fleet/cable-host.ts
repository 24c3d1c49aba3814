/**
 * `nacs board-sim --fleet N --board sim:DIR`: a fleet's simulated cables in a process of their own, as a
 * charger park's boards are hardware of their own. Each cable's world is served to both sides on
 * `DIR/w<i>.sock` (the board protocol, docs/board-protocol.md), and all of them over one board mux
 * (`DIR/mux-<pid>.sock`; with `--board-mux tcp:HOST:PORT` also over TCP, with `--board-mux-key` only to
 * fleets that prove the key). A charger park started after it (`nacs evse --fleet N --board sim:DIR`) joins
 * every cable as its board host over the mux (with `--board-thread`, from the board thread) and simulates
 * nothing itself; an EV fleet (`nacs ev --fleet N --board sim:DIR`) joins them over the
 * mux. Node-only.
 */
import { join } from "node:path";
import { dcBatteryConfig } from "../../ev/dc/battery.js";
import { powerModuleConfig } from "../../evse/dc/power-module.js";
import type { BoardRole } from "../../link/board/messages.js";
import { muxKeyOption } from "../../link/board/mux-auth.js";
import type { LinkLogger } from "../../link/logger.js";
import { realClock } from "../../machine/index.js";
import { startWorldServer, type WorldServer } from "../../sim/board/listen.js";
import { type BoardMuxServer, boardMuxPath, listenBoardMux } from "../../sim/board/mux-socket.js";
import type { DcWorld } from "../../sim/dc/world.js";
import { createLiveWorld } from "../live/board.js";
import {
  type BoardMuxOption,
  ensureFleetSimDir,
  type FleetShard,
  fleetSimDir,
  shardIndices,
} from "./options.js";
import { cpuPercentSince } from "./spawn.js";

/** What a cable host is started with (the options of `nacs board-sim --fleet`). */
export interface CableHostOptions {
  fleet: number;
  shard?: FleetShard | undefined;
  /** `sim` or `sim:DIR`. */
  board: string;
  boardMux?: BoardMuxOption | undefined;
  boardMuxKey?: string | undefined;
  /**
   * Press the emergency-stop button of one cable every this many seconds: one chosen at random among those
   * with a charger and a vehicle joined, released {@link ESTOP_HOLD_MS} later (fault injection under load;
   * the park's `--board-thread` interlock and its controller then switch that output off).
   */
  estopEveryS?: number | undefined;
}

/** How long a pressed emergency-stop button stays pressed (ms). Design choice. */
export const ESTOP_HOLD_MS = 2_000;

/** What a cable host counts. */
export interface CableHostCounts {
  /** Cables hosted here. */
  cables: number;
  /** Cables with a charger (EVSE host) joined now, and with a vehicle (EV host) plugged in now. */
  chargersNow: number;
  vehiclesNow: number;
  /** Charger hosts and vehicle hosts that said hello since the start (a vehicle's hello is its plug-in). */
  chargerJoins: number;
  vehiclePlugIns: number;
  /** Emergency-stop buttons pressed (`--estop-every`), and the cables pressed, in the order pressed. */
  estopPresses: number;
  estopCables: number[];
}

/** The summary of a cable host (`--json`: this object). */
export interface CableHostSummary extends CableHostCounts {
  /** Where the cables were served over a board mux (`unix:PATH`, `tcp:HOST:PORT`). */
  boardMux: string[];
  wallS: number;
  /** This process's CPU over the run (% of one core) and its peak resident set (kB). */
  cpuPercent: number;
  maxRssKb: number;
}

/** A running cable host. */
export interface CableHost {
  /** Where its muxes listen. */
  readonly boardMux: string[];
  counts(): CableHostCounts;
  /** Close every cable (their hosts' links report lost) and the muxes. */
  stop(): Promise<CableHostSummary>;
}

/** A world before any host's hello configures it (each host's `sim` hello sets its own side). */
const defaultWorldSettings = (timeScale: number) => ({
  module: powerModuleConfig("1000v", 150_000),
  battery: dcBatteryConfig(),
  socPercent: 30,
  seed: null,
  energyTimeScale: timeScale,
  supply: { kind: "dc" as const },
});

/**
 * Host the cables of `o.fleet` (this shard's), each on `DIR/w<i>.sock`, and serve them over the board
 * mux(es); `log` for the muxes (refused peers), `worldLog` for the cables' boards (default `log`: each host
 * that leaves a cable is a warning there). Rejects when a socket cannot be claimed (another process serves
 * the cable) or a mux cannot listen.
 */
export async function startCableHost(
  o: CableHostOptions,
  log: LinkLogger,
  timeScale = 1,
  worldLog: LinkLogger = log,
): Promise<CableHost> {
  const dir = fleetSimDir(o.board);
  if (dir === null) throw new Error(`--board: a cable host needs sim or sim:DIR (not ${o.board})`);
  ensureFleetSimDir(o.board);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const counts = { chargerJoins: 0, vehiclePlugIns: 0, estopPresses: 0 };
  const estopCables: number[] = [];
  const onHost = (role: BoardRole) => {
    if (role === "evse") counts.chargerJoins++;
    else counts.vehiclePlugIns++;
  };
  const cables = new Map<number, { world: DcWorld; server: WorldServer }>();
  const muxes: BoardMuxServer[] = [];
  const stopAll = async () => {
    for (const m of muxes) await m.close();
    for (const c of cables.values()) {
      await c.server.close();
      c.world.stop();
    }
  };
  try {
    for (const i of shardIndices(o.fleet, o.shard)) {
      const world = createLiveWorld(defaultWorldSettings(timeScale));
      try {
        const server = await startWorldServer({
          listen: { kind: "unix", path: join(dir, `w${i}.sock`) },
          world,
          clock: realClock,
          name: `nacs board-sim --fleet (pid ${process.pid}), cable ${i}`,
          logger: worldLog,
          onHost,
        });
        cables.set(i, { world, server });
      } catch (e) {
        world.stop();
        throw e;
      }
    }
    const serve = (address: Parameters<typeof listenBoardMux>[0]["address"], key?: Uint8Array) =>
      listenBoardMux({
        address,
        hosts: cables.keys(),
        accept: (ch, stream) => cables.get(ch)?.server.accept(stream),
        ...(key && { key }),
        logger: log,
      });
    muxes.push(await serve({ kind: "unix", path: boardMuxPath(dir) }));
    if (o.boardMux)
      muxes.push(
        await serve(
          { kind: "tcp", host: o.boardMux.host, port: o.boardMux.port },
          muxKeyOption(o.boardMuxKey),
        ),
      );
  } catch (e) {
    await stopAll();
    throw e;
  }
  const boardMux = muxes.map((m) => m.where);
  const now = (): CableHostCounts => {
    let chargersNow = 0;
    let vehiclesNow = 0;
    for (const c of cables.values()) {
      if (c.server.live.evse) chargersNow++;
      if (c.server.live.ev) vehiclesNow++;
    }
    return { cables: cables.size, chargersNow, vehiclesNow, ...counts, estopCables: [...estopCables] };
  };
  // --estop-every: a random cable in session, pressed and released
  const releases = new Set<ReturnType<typeof setTimeout>>();
  const press = () => {
    const busy = [...cables].filter(([, c]) => c.server.live.evse && c.server.live.ev);
    const pick = busy[Math.floor(Math.random() * busy.length)];
    if (!pick) return;
    const [i, c] = pick;
    c.world.setEmergencyButton(true);
    counts.estopPresses++;
    estopCables.push(i);
    const t = setTimeout(() => {
      releases.delete(t);
      c.world.setEmergencyButton(false);
    }, ESTOP_HOLD_MS);
    releases.add(t);
  };
  const presses = o.estopEveryS ? setInterval(press, o.estopEveryS * 1000) : undefined;
  let summary: Promise<CableHostSummary> | null = null;
  return {
    boardMux,
    counts: now,
    stop() {
      summary ??= (async () => {
        clearInterval(presses);
        for (const t of releases) clearTimeout(t);
        const c = now();
        await stopAll();
        const wallMs = performance.now() - t0;
        return {
          ...c,
          boardMux,
          wallS: Math.round(wallMs) / 1000,
          cpuPercent: cpuPercentSince(cpu0, wallMs),
          maxRssKb: process.resourceUsage().maxRSS,
        };
      })();
      return summary;
    },
  };
}

/** The summary as text. */
export function formatCableHostSummary(s: CableHostSummary): string {
  return (
    `nacs board-sim --fleet: ${s.cables} cables, ${s.wallS.toFixed(1)} s\n` +
    `  charger hosts joined   ${s.chargerJoins} (${s.chargersNow} at the end)\n` +
    `  vehicles plugged in    ${s.vehiclePlugIns} (${s.vehiclesNow} at the end)\n` +
    (s.estopPresses > 0 ? `  emergency stops        ${s.estopPresses} pressed\n` : "") +
    `  board mux              ${s.boardMux.join(", ")}\n` +
    `  process                CPU ${s.cpuPercent} %, peak resident set ${Math.round(s.maxRssKb / 1024)} MB\n`
  );
}
