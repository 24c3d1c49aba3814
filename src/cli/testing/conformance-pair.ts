/**
 * Test-only: `nacs conformance --sut secc` against our own `nacs evse` — one `nacs evse` process
 * (`--sessions 0`, loopback, no SLAC, `--sequence-timeout 2`, DC or `--mode ac`, ISO 15118-20 on plain TCP,
 * the simulated cable shared over a unix socket)
 * and one `nacs conformance` process with the profile that describes it. Shared by the live conformance
 * test and the mutation check (which adds `--lab --defect NAME` to the EVSE).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unofferedBy } from "../../conformance/case-ev.js";
import { CATALOGUE } from "../../conformance/catalogue/index.js";
import { defaultLimits, parseProfile } from "../../conformance/profile.js";
import { type RunSummary, summarize } from "../../conformance/report.js";
import { runCases } from "../../conformance/runner.js";
import type { ConformanceCase, SutProfile } from "../../conformance/types.js";
import { EVSE_CHARGE_LOOP_WATCHDOG_MS, EVSE_TRIP_F_HOLD_MS } from "../../evse/dc/types.js";
import { silentLogger } from "../../link/logger.js";
import { testerBoardOpener } from "../commands/conformance.js";
import { randomSdpPort } from "./live-pair.js";
import { exitWithin, killIfRunning, type NacsProc, spawnNacs, waitForStderr } from "./spawn-nacs.js";

/**
 * Our SECC as the profile describes it: `--sequence-timeout 2`, the charge-loop watchdog
 * (EVSE_CHARGE_LOOP_WATCHDOG_MS), and the pilot held at F for EVSE_TRIP_F_HOLD_MS after a trip; DIN 70121,
 * ISO 15118-2 and ISO 15118-20 (plain TCP: `--iso20-without-tls`) with DC and DC_BPT (`--bidirectional`),
 * both control modes.
 */
export const NACS_EVSE_PROFILE = {
  name: "nacs evse --sequence-timeout 2",
  protocols: ["din", "iso2", "iso20"],
  energy: ["dc"],
  iso20: { services: ["dc", "dc-bpt"], controls: ["scheduled", "dynamic"] },
  limits: {
    sequenceTimeoutMs: 2000,
    chargeLoopTimeoutMs: EVSE_CHARGE_LOOP_WATCHDOG_MS,
    connectionLossOffMs: 500,
    recoveryMs: EVSE_TRIP_F_HOLD_MS,
  },
};

/** The same SECC with `--mode ac`: ISO 15118-2 AC and ISO 15118-20 AC / AC_BPT. */
export const NACS_EVSE_AC_PROFILE = {
  ...NACS_EVSE_PROFILE,
  name: "nacs evse --mode ac --sequence-timeout 2",
  protocols: ["iso2", "iso20"],
  energy: ["ac"],
  iso20: { services: ["ac", "ac-bpt"], controls: ["scheduled", "dynamic"] },
};

/**
 * `nacs evse` options of the SECC the profile of `mode` describes (besides ports, board, sessions); with
 * `receipts`, `--receipt-required` (the profile then says `receipts: true`).
 */
export function nacsEvseArgs(mode: "dc" | "ac", receipts = false): string[] {
  return [
    ...(mode === "ac" ? ["--mode", "ac", "--protocol", "iso2,iso20"] : ["--protocol", "din,iso2,iso20"]),
    "--iso20-without-tls",
    "--bidirectional",
    ...(receipts ? ["--receipt-required"] : []),
  ];
}

/** The profile (as `--profile` JSON) of the SECC that `nacsEvseArgs(mode, receipts)` starts. */
export function pairProfileJson(mode: "dc" | "ac", receipts = false): object {
  const base = mode === "ac" ? NACS_EVSE_AC_PROFILE : NACS_EVSE_PROFILE;
  return receipts ? { ...base, name: `${base.name} --receipt-required`, receipts: true } : base;
}

/**
 * The cases the live conformance test runs in `npm test` against `nacs evse` (each must pass): every group
 * of DIN 70121 and ISO 15118-2 DC (normal, sequence, value, timing, transport; j3400 on DIN), and ISO
 * 15118-20 DC (normal, sequence, value, timing; its transport and j3400 cases run in the TLS 1.3 and AC
 * tests).
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
  "secc-iso20-normal-013",
  "secc-iso20-seq-007",
  "secc-iso20-value-002",
  "secc-iso20-timing-003",
];

/**
 * The ISO-2 AC and ISO 15118-20 AC cases the live conformance test runs in `npm test` against `nacs evse
 * --mode ac` (each must pass): ISO-2 AC normal, value and j3400, and -20 AC_BPT, value, timing and
 * pause/resume.
 */
export const CI_CONFORMANCE_AC_CASES: readonly string[] = [
  "secc-iso2-ac-normal-001",
  "secc-iso2-ac-value-001",
  "secc-iso2-ac-j3400-001",
  "secc-iso20-normal-007",
  "secc-iso20-value-012",
  "secc-iso20-timing-006",
  "secc-iso20-j3400-005",
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
  /** The SECC's energy transfer (default dc): which `nacs evse` and profile (NACS_EVSE_AC_PROFILE). */
  mode?: "dc" | "ac";
  /** The SECC asks for metering receipts (`--receipt-required`, profile `receipts`); default no. */
  receipts?: boolean;
  /** Bound of the conformance run (ms; default 900 s). */
  timeoutMs?: number;
  /**
   * Run the harness in this process (the runner of `nacs conformance`, as the command builds it) instead of
   * as a `nacs conformance` process: one process start less per run. No report; `confErr` holds the
   * progress lines.
   */
  inProcess?: boolean;
}

/**
 * The cases of the catalogue with these IDs (all: undefined, those the SECC of `profile` offers), as `nacs
 * conformance --cases` selects them.
 */
function catalogueCases(ids: readonly string[] | undefined, profile: SutProfile): ConformanceCase[] {
  const offered = (c: ConformanceCase) =>
    c.protocols.some((p) => profile.protocols.includes(p) && unofferedBy(c, profile, p) === null);
  // loopback, no SLAC: the SLAC cases run on a veth (tools/netns/conformance-netns.ts), as `nacs conformance
  // --no-slac` skips them
  const run = CATALOGUE.filter(
    (c) => c.sut === "secc" && (ids ? ids.includes(c.id) : c.group !== "slac" && offered(c)),
  );
  const unknown = (ids ?? []).filter((id) => !run.some((c) => c.id === id));
  if (unknown.length > 0) throw new Error(`not in the catalogue: ${unknown.join(", ")}`);
  return run;
}

/** The profile of the SECC of `mode`, parsed as `nacs conformance --profile` parses it. */
export function pairProfile(mode: "dc" | "ac", receipts = false): SutProfile {
  return parseProfile(JSON.stringify(pairProfileJson(mode, receipts)));
}

/** The harness in this process against the SECC at `sdpPort` on loopback; the summary and progress lines. */
async function runHarnessHere(
  o: ConformancePairOptions,
  sdpPort: number,
  boardSpec: string,
): Promise<{ summary: RunSummary; code: number; err: string }> {
  const mode = o.mode ?? "dc";
  const timeoutMs = o.timeoutMs ?? 900_000;
  const profile = pairProfile(mode, o.receipts);
  const limits = { ...defaultLimits(), ...profile.limits };
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
        catalogueCases(o.cases, profile),
        profile.protocols,
        {
          iface: "lo",
          slac: null,
          mac: Uint8Array.of(0x02, 0, 0, 0, 0, 0x01),
          limits,
          energy: mode,
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
    const summary = summarize(results, profile.name, performance.now() - t0);
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
      ...nacsEvseArgs(o.mode ?? "dc", o.receipts),
      "--sequence-timeout",
      "2",
      ...(o.evseArgs ?? []),
    ]);
    await waitForStderr(evse, /ready on lo/, 15_000);
    if (o.inProcess) {
      const r = await runHarnessHere(o, Number(sdpPort), board);
      return { summary: r.summary, code: r.code, evseErr: evse.err, confErr: r.err, wallMs: Date.now() - t0 };
    }
    writeFileSync(join(dir, "profile.json"), JSON.stringify(pairProfileJson(o.mode ?? "dc", o.receipts)));
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
