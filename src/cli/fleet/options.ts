/**
 * The fleet flags of `nacs evse --fleet M` and `nacs ev --fleet N`: `--workers W` (worker processes,
 * default the cores), `--shard K/S` (this machine runs only the pairs i with i mod S = K; indices stay
 * global so ports and sockets match the other side), and on the EV side `--plug-in-spread S`,
 * `--max-starting X`, `--duration S` and `--charge-loop-ms MS|MIN-MAX`. Also where pair i meets its peer:
 * SDP port `--sdp-port` + i, V2G port `--port` + i (when given), board `--board` per pair
 * ({@link fleetBoardSpec}), and `--board-mux tcp:HOST:PORT` (the simulated cables over TCP, between machines)
 * with `--board-mux-key FILE` (a key both ends prove they hold).
 */
import { spawnSync } from "node:child_process";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { parseSocketSpec } from "../../link/board/adapters.js";
import { readMuxKey } from "../../link/board/mux-auth.js";
import { MAX_CHARGE_LOOP_MS, MIN_CHARGE_LOOP_MS } from "../charge-loop.js";
import { ensureDir } from "../ensure-dir.js";

/** Most pairs of one fleet, and most worker processes. Design choices. */
export const LIVE_FLEET_MAX = 65_000;
export const LIVE_FLEET_MAX_WORKERS = 64;
/** At most this many vehicles of the whole fleet in session set-up at once, by default. Design choice. */
export const LIVE_FLEET_DEFAULT_MAX_STARTING = 50;
/** Default plug-in spread (s): one vehicle every 10 ms for 1,000 of them. Design choice. */
export const LIVE_FLEET_DEFAULT_SPREAD_S = 10;
/** A worker holds plug-ins while its event-loop delay p99 is above this (ms). Design choice. */
export const LIVE_FLEET_HOLD_DELAY_MS = 50;

/** `--charge-loop-ms`: the vehicles' pauses between charge-loop requests, from `minMs` to `maxMs`. */
export interface ChargeLoopRange {
  minMs: number;
  maxMs: number;
}

/**
 * A fleet's default `--charge-loop-ms`: 180–220 ms, the single vehicle's 200 ms
 * (DC_CURRENT_DEMAND_INTERVAL_MS) ± 10 %, each vehicle its own pause. The vehicles of a real park share no
 * clock. With one shared pause, a stall of a worker delays the requests of every vehicle it serves at once;
 * their responses come in one burst, and their next requests then go on arriving together, cycle after
 * cycle, so each stall leaves a lasting clump. With the pauses spread the clumps drift apart within a few
 * cycles. Measured on the 1,000-pair bench, three interleaved pairs of runs: round trip p50 1.6–2.2 ms with
 * one pause, 0.7–1.6 ms spread; p99 lower in two pairs of three. Design choice (D).
 */
export const LIVE_FLEET_DEFAULT_CHARGE_LOOP: ChargeLoopRange = Object.freeze({ minMs: 180, maxMs: 220 });

/** `--charge-loop-ms MS` or `MIN-MAX` (whole ms within the bounds) → range; the rule in words on failure. */
export function chargeLoopRangeSchema(minMs: number, maxMs: number) {
  return z
    .string()
    .transform((s, ctx) => {
      const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(s);
      const lo = m ? Number(m[1]) : NaN;
      const hi = m?.[2] !== undefined ? Number(m[2]) : lo;
      if (!m || !(lo >= minMs && hi <= maxMs && lo <= hi)) {
        ctx.addIssue({
          code: "custom",
          message: `must be MS or MIN-MAX, whole milliseconds with ${minMs} ≤ MIN ≤ MAX ≤ ${maxMs}`,
        });
        return z.NEVER;
      }
      return { minMs: lo, maxMs: hi } satisfies ChargeLoopRange;
    })
    .optional();
}

/**
 * Vehicle `i`'s pause in `r`: its index times the golden ratio, modulo 1, scales the range, so the pauses of
 * any run of consecutive indices (and of every shard) spread evenly over it, and no two neighbours match.
 */
export function vehicleChargeLoopMs(r: ChargeLoopRange, i: number): number {
  const f = (i * 0.6180339887498949) % 1;
  return Math.round(r.minMs + f * (r.maxMs - r.minMs));
}

/** `--shard K/S`: this process runs pairs i with i mod S = K. */
export interface FleetShard {
  index: number;
  count: number;
}

/** `--shard K/S` as text → shard; the rule in words on failure. */
export const shardSchema = z
  .string()
  .transform((s, ctx) => {
    const m = /^(\d+)\/(\d+)$/.exec(s.trim());
    const k = m ? Number(m[1]) : NaN;
    const n = m ? Number(m[2]) : NaN;
    if (!m || !(n >= 1) || !(k < n)) {
      ctx.addIssue({
        code: "custom",
        message: "must be K/S with 0 ≤ K < S (shard K of S: this process runs the pairs i with i mod S = K)",
      });
      return z.NEVER;
    }
    return { index: k, count: n } satisfies FleetShard;
  })
  .optional();

/** `--board-mux tcp:HOST:PORT`: where a charger park serves its simulated cables, or where vehicles join them. */
export interface BoardMuxOption {
  host: string;
  port: number;
}

/** `--board-mux tcp:HOST:PORT` → host and port (an IPv6 host in brackets); the rule in words on failure. */
export const boardMuxSchema = z.string().transform((s, ctx): BoardMuxOption => {
  try {
    if (!s.startsWith("tcp:"))
      throw new Error(`must be tcp:HOST:PORT, e.g. tcp:[::]:7000 (not ${JSON.stringify(s)})`);
    const a = parseSocketSpec("tcp", s.slice("tcp:".length), (rule) => new Error(rule), 1);
    if (a.kind !== "tcp") throw new Error("must be tcp:HOST:PORT");
    return { host: a.host, port: a.port };
  } catch (e) {
    ctx.addIssue({ code: "custom", message: (e as Error).message });
    return z.NEVER;
  }
});

/**
 * `--board-mux-key FILE`: the file, once its key was read (each worker reads it again, so the key itself
 * travels in no message or summary); the rule in words when it cannot be.
 */
export const boardMuxKeySchema = z.string().transform((file, ctx): string => {
  try {
    readMuxKey(file);
    return file;
  } catch (e) {
    ctx.addIssue({ code: "custom", message: (e as Error).message });
    return z.NEVER;
  }
});

/** Zod fields shared by both fleets (merged into `nacs evse` / `nacs ev`'s schemas). */
export const fleetOptionShape = {
  fleet: z.coerce.number().int().min(1).max(LIVE_FLEET_MAX).optional(),
  workers: z.coerce.number().int().min(1).max(LIVE_FLEET_MAX_WORKERS).optional(),
  shard: shardSchema,
  duration: z.coerce
    .number()
    .positive()
    .max(7 * 24 * 3600)
    .optional(),
  boardMux: boardMuxSchema.optional(),
  boardMuxKey: boardMuxKeySchema.optional(),
};

/** EV-only fleet fields. */
export const evFleetOptionShape = {
  ...fleetOptionShape,
  plugInSpread: z.coerce.number().min(0).max(86_400).optional(),
  maxStarting: z.coerce.number().int().min(1).max(LIVE_FLEET_MAX).optional(),
  chargeLoopMs: chargeLoopRangeSchema(MIN_CHARGE_LOOP_MS, MAX_CHARGE_LOOP_MS),
};

/** Flags a live fleet cannot take: one session's files, UI, scripts, Plug & Charge, test hooks. */
const NOT_WITH_FLEET = [
  ["ui", "--ui"],
  ["pcap", "--pcap"],
  ["events", "--events"],
  ["ocpp", "--ocpp"],
  ["pki", "--pki"],
  ["defect", "--defect"],
  ["pauseAfter", "--pause-after"],
  ["resumeAfter", "--resume-after"],
  ["installContract", "--install-contract"],
  ["contractStore", "--contract-store"],
  ["tlsKeylog", "--tls-keylog"],
  ["seed", "--seed"],
] as const;

/** Issues of the fleet flags against the rest (added to the command's superRefine). */
export function checkFleetOptions(
  o: Record<string, unknown>,
  side: "ev" | "evse",
  ctx: z.RefinementCtx,
): void {
  const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
  const fleetOnly =
    side === "ev"
      ? [
          "workers",
          "shard",
          "duration",
          "plugInSpread",
          "maxStarting",
          "chargeLoopMs",
          "boardMux",
          "boardMuxKey",
        ]
      : ["workers", "shard", "duration", "boardMux", "boardMuxKey"];
  if (o.fleet === undefined) {
    for (const k of fleetOnly) if (o[k] !== undefined) issue(k, "needs --fleet N");
    return;
  }
  if (o.sessions !== 1)
    issue(
      "sessions",
      side === "ev"
        ? "not with --fleet: each vehicle of a fleet runs one session"
        : "not with --fleet: each charger of a fleet serves sessions until --duration or a signal",
    );
  if (o.mode === "ac") issue("mode", "a live fleet runs DC sessions: drop --mode ac");
  if (o.slac === true)
    issue("slac", "a live fleet runs without SLAC (one powerline link cannot carry N pairs): add --no-slac");
  if (side === "ev" && o.payment === "contract")
    issue("payment", "a live fleet pays with external payment: drop --payment contract");
  for (const [k, flag] of NOT_WITH_FLEET) {
    const v = o[k];
    if (v !== undefined && v !== false) issue(k, `not with --fleet (${flag} is for one session)`);
  }
  if (o.boardMux !== undefined && fleetSimDir(String(o.board)) === null)
    issue(
      "boardMux",
      side === "evse"
        ? `serves the simulated cables hosted here: needs --board sim or sim:DIR (not ${o.board})`
        : `the vehicles join the charger park's simulated cables over it: needs --board sim or sim:DIR (not ${o.board})`,
    );
  if (o.boardMuxKey !== undefined && o.boardMux === undefined)
    issue("boardMuxKey", "the key of a board mux over TCP: needs --board-mux tcp:HOST:PORT");
  const shard = o.shard as FleetShard | undefined;
  const n = o.fleet as number;
  if (shard && shard.count > n)
    issue("shard", `must have S ≤ --fleet (${n}): shard S has no pair otherwise (S = ${shard.count})`);
  const sdpPort = o.sdpPort as number;
  if (sdpPort + n - 1 > 65_535)
    issue("sdpPort", `with --fleet ${n} the SDP ports run to ${sdpPort + n - 1}: must end at 65535 or below`);
  const port = o.port as number | undefined;
  if (port !== undefined && (port === 0 || port + n - 1 > 65_535))
    issue("port", `with --fleet ${n}: a base port 1–${65_536 - n} (charger i listens on --port + i)`);
}

/** Where a fleet's simulated cables meet when `--board` is plain `sim`: `sim:$TMPDIR/nacs-fleet`. */
export const defaultFleetBoard = (): string => `sim:${join(tmpdir(), "nacs-fleet")}`;

/**
 * Descriptors one pair holds in a worker: EVSE — SDP socket, V2G listener and connection, the simulated
 * cable's listener and the EV's connection to it; EV — SDP socket, V2G connection, board connection.
 */
export const FLEET_FDS_PER_PAIR = { evse: 5, ev: 3 } as const;
/** Descriptors a worker needs besides its pairs (stdio, IPC, epoll, libuv). */
export const FLEET_FD_MARGIN = 64;

/** The per-process descriptor limit (`ulimit -n`; Node raises the soft limit to the hard one). */
export function fdLimit(): number {
  const r = spawnSync("sh", ["-c", "ulimit -n"], { encoding: "utf8" });
  const v = r.stdout?.trim() ?? "";
  return v === "unlimited" ? Number.POSITIVE_INFINITY : Number(v) || 1024;
}

/**
 * Worker processes: `--workers`, default the cores; never more than the pairs this process runs, and
 * never so few that a worker would need more descriptors than `limit` (then raised, with `note` saying so).
 */
export function fleetWorkerCount(
  workers: number | undefined,
  pairs: number,
  fdsPerPair = 0,
  limit = Number.POSITIVE_INFINITY,
): { count: number; note: string | null } {
  const wanted = Math.max(1, Math.min(pairs, workers ?? availableParallelism()));
  const perWorker = Math.max(1, Math.floor((limit - FLEET_FD_MARGIN) / Math.max(1, fdsPerPair)));
  const needed = fdsPerPair > 0 ? Math.ceil(pairs / perWorker) : 1;
  if (needed <= wanted) return { count: wanted, note: null };
  return {
    count: Math.min(pairs, needed),
    note:
      `${workers !== undefined ? `--workers ${workers}` : `${wanted} workers (the cores)`} raised to ${needed}: ` +
      `${pairs} pairs need about ${pairs * fdsPerPair} descriptors, at most ${limit} per process (ulimit -n)`,
  };
}

/** The pair indices this process runs (`--shard K/S`), in order. */
export function shardIndices(n: number, shard: FleetShard | undefined): number[] {
  const out: number[] = [];
  const s = shard ?? { index: 0, count: 1 };
  for (let i = s.index; i < n; i += s.count) out.push(i);
  return out;
}

/** Split `indices` over `workers` (round robin, so each worker's plug-ins spread over the whole window). */
export function splitOverWorkers(indices: readonly number[], workers: number): number[][] {
  const parts: number[][] = Array.from({ length: workers }, () => []);
  indices.forEach((i, k) => {
    parts[k % workers]!.push(i);
  });
  return parts.filter((p) => p.length > 0);
}

/**
 * Pair `i`'s board from the fleet's `--board`: `sim:DIR` → `sim:DIR/w<i>.sock` (one simulated cable per
 * pair, shared by the two fleets), `unix:DIR` → `unix:DIR/w<i>.sock`, `tcp:HOST:PORT` → `tcp:HOST:PORT+i`
 * (a real board or rig per pair), `stdio:CMD` → CMD with every `{i}` replaced by i and every `{B+i}` by
 * B + i (e.g. a `nacs board-sim` per charger listening on TCP port 7000 + i for a remote EV fleet).
 */
/**
 * The folder of a fleet's simulated cables (`sim` or `sim:DIR`), where the process hosting them also
 * listens on a board mux (one connection for all of its cables); null for other boards.
 */
export function fleetSimDir(board: string): string | null {
  if (board === "sim") return fleetSimDir(defaultFleetBoard());
  const m = /^sim:(.+)$/.exec(board);
  return m ? m[1]!.replace(/\/$/, "") : null;
}

/**
 * `--board sim` / `sim:DIR`: create the folder of the simulated cables' sockets if it is missing (with its
 * parents), as a fleet or a cable host starts; a folder that cannot be created is a {@link UsageError}
 * naming `--board`. Other boards: nothing to do.
 */
export function ensureFleetSimDir(board: string): void {
  const dir = fleetSimDir(board);
  if (dir !== null) ensureDir(dir, "--board");
}

export function fleetBoardSpec(board: string, i: number): string {
  if (board === "sim") return fleetBoardSpec(defaultFleetBoard(), i);
  const m = /^(sim|unix):(.+)$/.exec(board);
  if (m) return `${m[1]}:${m[2]!.replace(/\/$/, "")}/w${i}.sock`;
  const t = /^tcp:(.+):(\d+)$/.exec(board);
  if (t) return `tcp:${t[1]}:${Number(t[2]) + i}`;
  if (board.startsWith("stdio:"))
    return board
      .replace(/\{(\d+)\+i\}/g, (_, base: string) => String(Number(base) + i))
      .replaceAll("{i}", String(i));
  return board;
}
