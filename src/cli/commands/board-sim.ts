/**
 * `nacs board-sim`: the simulated J3400 DC hardware (src/sim/dc/world.ts: cable, CP/PP, power module,
 * contactors, battery, isolation monitor, lock) as a board speaking the board protocol
 * (docs/board-protocol.md) on the wall clock. `--role R` serves side R over this process's stdin/stdout,
 * so `nacs evse --board stdio:"nacs board-sim --role evse"` works; `--listen unix:PATH|tcp:HOST:PORT`
 * serves the other side (or, without `--role`, both) to hosts that connect there. stdout is the protocol,
 * logs go to stderr. Exits when stdin ends (with `--role`) or on SIGINT / SIGTERM; bad options exit 2.
 * `--fleet N --board sim:DIR`: the N cables of a live fleet, in this process (src/cli/fleet/cable-host.ts).
 */

import type { Command } from "commander";
import { z } from "zod";
import { dcBatteryConfig } from "../../ev/dc/battery.js";
import { powerModuleConfig } from "../../evse/dc/power-module.js";
import { BOARD_ROLES, type BoardRole } from "../../link/board/messages.js";
import { type BoardStream, createBoardStreamCore } from "../../link/board/stream.js";
import { LOG_LEVELS, stderrLogger } from "../../link/host/cli-support.js";
import type { LinkLogger } from "../../link/logger.js";
import { clockFrom, realClock } from "../../machine/index.js";
import { parseListenSpec, startWorldServer, type WorldServer } from "../../sim/board/listen.js";
import { serveWorldRole, type WorldRoleServer } from "../../sim/board/world-server.js";
import { LIVE_BMS_REPORT } from "../../sim/dc/bms-report.js";
import { DcWorld } from "../../sim/dc/world.js";
import { createRng } from "../../sim/rng.js";
import { parseOptions, UsageError } from "../errors.js";
import { formatCableHostSummary, startCableHost } from "../fleet/cable-host.js";
import {
  boardMuxKeySchema,
  boardMuxSchema,
  fleetSimDir,
  LIVE_FLEET_MAX,
  shardSchema,
} from "../fleet/options.js";
import { untilStopSignal } from "../stop-signal.js";

const SEED_MAX = 2 ** 32 - 1;
/** Measurements to both sides every 100 ms, the rate docs/board-protocol.md recommends. */
export const BOARD_SIM_MEASURE_EVERY_MS = 100;

/** Options of `nacs board-sim` (raw commander strings are coerced and range-checked). */
export const boardSimOptionsSchema = z
  .object({
    role: z.enum(BOARD_ROLES, { error: 'must be "evse" or "ev"' }).optional(),
    listen: z.string().min(1).optional(),
    chargerKw: z.coerce.number().min(10).max(1000).default(250),
    chargerClass: z
      .enum(["500v", "1000v"], { error: 'must be "500v" (legacy) or "1000v" (J3400)' })
      .default("1000v"),
    batteryKwh: z.coerce.number().min(10).max(300).default(75),
    evClass: z.enum(["400v", "800v"], { error: 'must be "400v" or "800v"' }).default("800v"),
    soc: z.coerce.number().min(0).max(100).default(20),
    seed: z.coerce.number().int().min(0).max(SEED_MAX).default(1),
    /** Default: info; with --fleet warn (thousands of cables). */
    logLevel: z.enum(LOG_LEVELS).optional(),
    // --fleet: the cables of a live fleet
    fleet: z.coerce.number().int().min(1).max(LIVE_FLEET_MAX).optional(),
    board: z.string().min(1).optional(),
    shard: shardSchema,
    boardMux: boardMuxSchema.optional(),
    boardMuxKey: boardMuxKeySchema.optional(),
    timeScale: z.coerce.number().min(0.01).max(100_000).optional(),
    estopEvery: z.coerce.number().min(0.01).max(3600).optional(),
    json: z.boolean().optional(),
  })
  .superRefine((o, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    if (o.fleet !== undefined) {
      for (const k of ["role", "listen"] as const)
        if (o[k] !== undefined)
          issue(k, "not with --fleet: each cable serves both sides on DIR/w<i>.sock and over the board mux");
      if (o.board !== undefined && fleetSimDir(o.board) === null)
        issue("board", `with --fleet: sim or sim:DIR, where the cables' sockets go (not ${o.board})`);
      if (o.boardMuxKey !== undefined && o.boardMux === undefined)
        issue("boardMuxKey", "the key of a board mux over TCP: needs --board-mux tcp:HOST:PORT");
      if (o.shard && o.shard.count > o.fleet)
        issue(
          "shard",
          `must have S ≤ --fleet (${o.fleet}): shard S has no cable otherwise (S = ${o.shard.count})`,
        );
      return;
    }
    for (const k of ["board", "shard", "boardMux", "boardMuxKey", "timeScale", "estopEvery", "json"] as const)
      if (o[k] !== undefined) issue(k, "needs --fleet N");
    if (o.role === undefined && o.listen === undefined)
      ctx.addIssue({
        code: "custom",
        path: ["listen"],
        message:
          "is required without --role (it then serves both sides), e.g. --listen unix:/tmp/nacs-board.sock",
      });
    if (o.listen !== undefined) {
      try {
        parseListenSpec(o.listen);
      } catch (err) {
        ctx.addIssue({ code: "custom", path: ["listen"], message: (err as Error).message });
      }
    }
  });

/** Validated options of `nacs board-sim`. */
export type BoardSimOptions = z.infer<typeof boardSimOptionsSchema>;

/** Validate raw options (throws UsageError naming the option, the value and the rule). */
export function parseBoardSimOptions(raw: Record<string, unknown>): BoardSimOptions {
  return parseOptions(boardSimOptionsSchema, raw);
}

/** The world described by the options, on `clock`, measuring every 100 ms. */
export function boardSimWorld(o: BoardSimOptions, clock = clockFrom(realClock), log?: LinkLogger): DcWorld {
  return new DcWorld({
    module: powerModuleConfig(o.chargerClass, o.chargerKw * 1000),
    battery: dcBatteryConfig(o.evClass, o.batteryKwh),
    socStart: o.soc,
    clock,
    rng: createRng(o.seed),
    measureEveryMs: BOARD_SIM_MEASURE_EVERY_MS,
    bmsReport: LIVE_BMS_REPORT,
    record(type, fields) {
      if (type === "log" && log) {
        const { level, msg, ...rest } = (fields ?? {}) as { level?: string; msg?: string };
        if (level === "warn" || level === "error") log.warn(rest, `world: ${msg ?? ""}`);
        else log.debug(rest, `world: ${msg ?? ""}`);
      }
    },
  });
}

/** This process's stdin/stdout as a board stream (the host is the process that started us). */
function stdioBoardStream(): BoardStream {
  const core = createBoardStreamCore({
    write: (chunk) => process.stdout.write(chunk),
    close() {
      process.stdin.pause();
      core.end({ reason: "closed locally" });
    },
  });
  process.stdin.on("data", (d: Buffer) => core.data(d));
  process.stdin.on("end", () => core.end({ reason: "stdin ended" }));
  process.stdin.on("error", (err) => core.end({ reason: `stdin: ${err.message}`, error: err }));
  process.stdout.on("error", (err) => core.end({ reason: `stdout: ${err.message}`, error: err }));
  return core.stream;
}

/** Run the board simulator until stdin ends (with a stdio role) or a signal; resolves when shut down. */
export async function runBoardSim(o: BoardSimOptions): Promise<void> {
  const log = stderrLogger(o.logLevel ?? "info", "board-sim");
  const clock = clockFrom(realClock);
  const world = boardSimWorld(o, clock, log);
  const name = `nacs board-sim (pid ${process.pid})`;
  let stdio: WorldRoleServer<BoardRole> | null = null;
  let server: WorldServer | null = null;
  let stop!: (why: string) => void;
  const stopped = new Promise<string>((r) => {
    stop = r;
  });
  const onSignal = (sig: NodeJS.Signals) => stop(sig);
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    if (o.listen !== undefined) {
      const others = o.role ? BOARD_ROLES.filter((r) => r !== o.role) : BOARD_ROLES;
      server = await startWorldServer({
        listen: o.listen,
        world,
        clock,
        roles: others,
        name,
        logger: log,
        ...(o.role && { refusedHint: `; the ${o.role} side is served on stdin/stdout` }),
      });
      log.info({ address: server.address, roles: others }, `board-sim: listening on ${server.address}`);
    }
    if (o.role) {
      stdio = serveWorldRole(world, o.role, stdioBoardStream(), { clock, name, logger: log });
      log.info({ role: o.role }, `board-sim: serving the ${o.role} side on stdin/stdout`);
      void stdio.ended.then((e) => stop(`stdio: ${e.reason}`));
    }
    const why = await stopped;
    log.info({ why }, "board-sim: shutting down");
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    stdio?.close();
    await server?.close();
    world.stop();
    process.stdin.destroy();
  }
}

/**
 * `nacs board-sim --fleet N`: host the cables until SIGINT / SIGTERM, with progress on stderr; the summary
 * on stdout. Resolves with the exit code (1: the cables could not be served).
 */
export async function runBoardSimFleet(o: BoardSimOptions): Promise<number> {
  const log = stderrLogger(o.logLevel ?? "warn", "board-sim");
  // every host that leaves a cable is a warning of that board: with thousands of cables the default level
  // keeps the boards to errors (the muxes still warn of refused peers)
  const worldLog = o.logLevel === undefined ? stderrLogger("error", "board-sim") : log;
  const board = o.board ?? "sim";
  let host: Awaited<ReturnType<typeof startCableHost>>;
  try {
    host = await startCableHost(
      {
        fleet: o.fleet ?? 1,
        shard: o.shard,
        board,
        boardMux: o.boardMux,
        boardMuxKey: o.boardMuxKey,
        estopEveryS: o.estopEvery,
      },
      log,
      o.timeScale,
      worldLog,
    );
  } catch (e) {
    if (e instanceof UsageError) throw e; // exit 2, as a bad option
    process.stderr.write(`nacs board-sim --fleet: ${(e as Error).message}\n`);
    return 1;
  }
  const t0 = performance.now();
  const progress = setInterval(() => {
    const c = host.counts();
    process.stderr.write(
      `board-sim fleet t=${((performance.now() - t0) / 1000).toFixed(0)}s: cables ${c.cables}, chargers joined ${c.chargersNow}, vehicles plugged in ${c.vehiclesNow}\n`,
    );
  }, BOARD_SIM_FLEET_PROGRESS_MS);
  try {
    await untilStopSignal(() =>
      process.stderr.write(
        `nacs board-sim --fleet: ready: ${host.counts().cables} cables in ${fleetSimDir(board)} (board mux ${host.boardMux.join(", ")}${o.boardMuxKey === undefined ? "" : ", key required"})\n`,
      ),
    );
  } finally {
    clearInterval(progress);
  }
  const s = await host.stop();
  process.stdout.write(o.json ? `${JSON.stringify(s)}\n` : formatCableHostSummary(s));
  return 0;
}

/** Progress of `nacs board-sim --fleet` on stderr every this many ms. */
const BOARD_SIM_FLEET_PROGRESS_MS = 5_000;

/** Register `nacs board-sim`. */
export function registerBoardSimCommand(program: Command): void {
  program
    .command("board-sim")
    .description(
      "run the simulated DC hardware as a board (board protocol) on the wall clock: one side on stdio, others on a socket",
    )
    .option("--role <role>", "serve this side (evse or ev) on stdin/stdout")
    .option(
      "--listen <spec>",
      "serve the other side (both without --role) to hosts connecting to unix:PATH or tcp:HOST:PORT",
    )
    .option("--charger-kw <kw>", "charger power, 10–1000 kW (default 250)")
    .option("--charger-class <class>", "500v (legacy) or 1000v (J3400, default)")
    .option("--battery-kwh <kwh>", "battery capacity, 10–300 kWh (default 75)")
    .option("--ev-class <class>", "vehicle pack, 400v or 800v (default)")
    .option("--soc <percent>", "start state of charge, 0–100 % (default 20)")
    .option("--seed <n>", "seed for component tolerances and noise, integer 0–4294967295 (default 1)")
    .option("--log-level <level>", "pino log level on stderr (default info; with --fleet warn)")
    .option(
      "--fleet <n>",
      "host the N simulated cables of a live fleet (DIR/w<i>.sock, both sides each, and a board mux) for nacs evse --fleet and nacs ev --fleet",
    )
    .option(
      "--board <sim:DIR>",
      "with --fleet: where the cables' sockets go (default sim: a folder in the temp dir)",
    )
    .option("--shard <k/s>", "with --fleet: host only cables i with i mod S = K")
    .option(
      "--board-mux <tcp:HOST:PORT>",
      "with --fleet: also serve the cables over TCP, for an EV fleet on another machine",
    )
    .option("--board-mux-key <file>", "with --board-mux: EV fleets must prove they hold this key")
    .option(
      "--time-scale <x>",
      "with --fleet: energy moves this many times faster than real time (default 1)",
    )
    .option(
      "--estop-every <s>",
      "with --fleet: press the emergency-stop button of a random cable in session every S seconds (released 2 s later)",
    )
    .option("--json", "with --fleet: the summary as one JSON object")
    .action(async (raw: Record<string, unknown>) => {
      const o = parseBoardSimOptions(raw);
      if (o.fleet === undefined) await runBoardSim(o);
      else process.exitCode = await runBoardSimFleet(o);
    });
}
