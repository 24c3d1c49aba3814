/**
 * Test-only: `nacs conformance --sut secc` against our own `nacs evse` — one `nacs evse` process
 * (`--sessions 0`, loopback, no SLAC, `--sequence-timeout 2`, the simulated cable shared over a unix socket)
 * and one `nacs conformance` process with the profile that describes it. Shared by the live conformance
 * test and the mutation check (which adds `--lab --defect NAME` to the EVSE).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CATALOGUE } from "../../conformance/catalogue/index.js";
import { defaultLimits } from "../../conformance/profile.js";
import { type RunSummary, summarize } from "../../conformance/report.js";
import { runCases } from "../../conformance/runner.js";
import type { ConformanceCase } from "../../conformance/types.js";
import { EVSE_CHARGE_LOOP_WATCHDOG_MS, EVSE_TRIP_F_HOLD_MS } from "../../evse/dc/types.js";
import { silentLogger } from "../../link/logger.js";
import { testerBoardOpener } from "../commands/conformance.js";
import { randomSdpPort } from "./live-pair.js";
import { exitWithin, killIfRunning, type NacsProc, spawnNacs, waitForStderr } from "./spawn-nacs.js";

/**
 * Our SECC as the profile describes it: `--sequence-timeout 2`, the charge-loop watchdog
 * (EVSE_CHARGE_LOOP_WATCHDOG_MS), and the pilot held at F for EVSE_TRIP_F_HOLD_MS after a trip.
 */
export const NACS_EVSE_PROFILE = {
  name: "nacs evse --sequence-timeout 2",
  limits: {
    sequenceTimeoutMs: 2000,
    chargeLoopTimeoutMs: EVSE_CHARGE_LOOP_WATCHDOG_MS,
    connectionLossOffMs: 500,
    recoveryMs: EVSE_TRIP_F_HOLD_MS,
  },
};

/**
 * The cases the live conformance test runs in `npm test` against `nacs evse` (each must pass): every group
 * of both protocols (normal, sequence, value, timing, transport; j3400 on DIN).
 */
export const CI_CONFORMANCE_CASES: readonly string[] = [
  "secc-din-normal-001",
  "secc-din-seq-007",
  "secc-din-value-007",
  "secc-din-timing-003",
  "secc-din-transport-001",
  "secc-din-j3400-001",
  "secc-iso2-normal-005",
  "secc-iso2-seq-002",
  "secc-iso2-value-003",
  "secc-iso2-timing-001",
  "secc-iso2-transport-007",
];

/** A finished run: the summary, the exit code, both processes' stderr, the wall time. */
export interface ConformanceRun {
  summary: RunSummary;
  code: number | null;
  evseErr: string;
  confErr: string;
  wallMs: number;
}

/** Options of {@link runConformanceAgainstEvse}. */
export interface ConformancePairOptions {
  /** Case IDs (`--cases`); absent: the whole catalogue. */
  cases?: readonly string[];
  /** More `nacs evse` arguments (e.g. `--lab --defect NAME`). */
  evseArgs?: readonly string[];
  /** `--report DIR` (written into the run's directory) and what to do with it before it is removed. */
  onReport?: (dir: string, summary: RunSummary) => void;
  /** Bound of the conformance run (ms; default 900 s). */
  timeoutMs?: number;
  /**
   * Run the harness in this process (the runner of `nacs conformance`, as the command builds it) instead of
   * as a `nacs conformance` process: one process start less per run. No report; `confErr` holds the
   * progress lines.
   */
  inProcess?: boolean;
}

/** The cases of the catalogue with these IDs (all: undefined), as `nacs conformance --cases` selects them. */
function catalogueCases(ids: readonly string[] | undefined): ConformanceCase[] {
  // loopback, no SLAC: the SLAC cases run on a veth (tools/netns/conformance-netns.ts), as `nacs conformance
  // --no-slac` skips them
  const run = CATALOGUE.filter((c) => c.sut === "secc" && (ids ? ids.includes(c.id) : c.group !== "slac"));
  const unknown = (ids ?? []).filter((id) => !run.some((c) => c.id === id));
  if (unknown.length > 0) throw new Error(`not in the catalogue: ${unknown.join(", ")}`);
  return run;
}

/** The harness in this process against the SECC at `sdpPort` on loopback; the summary and progress lines. */
async function runHarnessHere(
  cases: readonly string[] | undefined,
  sdpPort: number,
  boardSpec: string,
  timeoutMs: number,
): Promise<{ summary: RunSummary; code: number; err: string }> {
  const limits = { ...defaultLimits(), ...NACS_EVSE_PROFILE.limits };
  let err = "";
  const t0 = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`conformance run still going after ${timeoutMs} ms: ${err}`)),
      timeoutMs,
    );
  });
  try {
    const results = await Promise.race([
      runCases(
        catalogueCases(cases),
        ["din", "iso2"],
        {
          iface: "lo",
          slac: null,
          mac: Uint8Array.of(0x02, 0, 0, 0, 0, 0x01),
          limits,
          sdpServerPort: sdpPort,
          openBoard: testerBoardOpener(boardSpec, silentLogger),
          logger: silentLogger,
        },
        (r, i, total) => {
          err += `[${i + 1}/${total}] ${r.id} ${r.verdict.verdict}\n`;
        },
      ),
      late,
    ]);
    const summary = summarize(results, NACS_EVSE_PROFILE.name, performance.now() - t0);
    return { summary, code: summary.passed === summary.total ? 0 : 1, err };
  } finally {
    clearTimeout(timer);
  }
}

/** Run the cases against a fresh `nacs evse`; both processes are killed and the temp dir removed after. */
export async function runConformanceAgainstEvse(o: ConformancePairOptions = {}): Promise<ConformanceRun> {
  const dir = mkdtempSync(join(tmpdir(), "nacs-conformance-"));
  const sdpPort = randomSdpPort();
  const board = `sim:${join(dir, "world.sock")}`;
  const common = ["--iface", "lo", "--no-slac", "--sdp-port", sdpPort, "--board", board];
  let evse: NacsProc | undefined;
  let conf: NacsProc | undefined;
  const t0 = Date.now();
  try {
    evse = spawnNacs([
      "evse",
      ...common,
      "--sessions",
      "0",
      "--protocol",
      "din,iso2",
      "--sequence-timeout",
      "2",
      ...(o.evseArgs ?? []),
    ]);
    await waitForStderr(evse, /ready on lo/, 15_000);
    if (o.inProcess) {
      const r = await runHarnessHere(o.cases, Number(sdpPort), board, o.timeoutMs ?? 900_000);
      return { summary: r.summary, code: r.code, evseErr: evse.err, confErr: r.err, wallMs: Date.now() - t0 };
    }
    writeFileSync(join(dir, "profile.json"), JSON.stringify(NACS_EVSE_PROFILE));
    const report = join(dir, "report");
    conf = spawnNacs([
      "conformance",
      "--sut",
      "secc",
      ...common,
      "--profile",
      join(dir, "profile.json"),
      "--json",
      ...(o.onReport ? ["--report", report] : []),
      ...(o.cases ? ["--cases", o.cases.join(",")] : []),
    ]);
    const code = await exitWithin(conf, "nacs conformance", o.timeoutMs ?? 900_000);
    let summary: RunSummary;
    try {
      summary = JSON.parse(conf.out) as RunSummary;
    } catch (e) {
      throw new Error(`nacs conformance printed no summary (exit ${code}): ${conf.err.slice(-2000)}`, {
        cause: e,
      });
    }
    o.onReport?.(report, summary);
    return { summary, code, evseErr: evse.err, confErr: conf.err, wallMs: Date.now() - t0 };
  } finally {
    killIfRunning(conf);
    killIfRunning(evse);
    rmSync(dir, { recursive: true, force: true });
  }
}
