/**
 * Test-only: `nacs conformance --sut secc` against our own `nacs evse` — one `nacs evse` process
 * (`--sessions 0`, loopback, no SLAC, `--sequence-timeout 2`, the simulated cable shared over a unix socket)
 * and one `nacs conformance` process with the profile that describes it. Shared by the live conformance
 * test and the mutation check (which adds `--lab --defect NAME` to the EVSE).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunSummary } from "../../conformance/report.js";
import { EVSE_CHARGE_LOOP_WATCHDOG_MS, EVSE_TRIP_F_HOLD_MS } from "../../evse/dc/types.js";
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
}

/** Run the cases against a fresh `nacs evse`; both processes are killed and the temp dir removed after. */
export async function runConformanceAgainstEvse(o: ConformancePairOptions = {}): Promise<ConformanceRun> {
  const dir = mkdtempSync(join(tmpdir(), "nacs-conformance-"));
  const common = [
    "--iface",
    "lo",
    "--no-slac",
    "--sdp-port",
    randomSdpPort(),
    "--board",
    `sim:${join(dir, "world.sock")}`,
  ];
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
