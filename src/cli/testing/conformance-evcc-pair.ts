/**
 * Test-only: `nacs conformance --sut evcc` against our own `nacs ev` — the tester (our EVSE with the EVCC
 * interceptor) in this process hosting the simulated cable over a unix socket, and one `nacs ev --sessions
 * 0` process (loopback, no SLAC) that joins it and runs a new session on each plug-in. Shared by the live
 * EVCC conformance test and the EVCC mutation check (which adds `--lab --defect NAME` to the car).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CATALOGUE } from "../../conformance/catalogue/index.js";
import { runEvccCases } from "../../conformance/evcc/runner.js";
import { defaultLimits } from "../../conformance/profile.js";
import { type RunSummary, summarize } from "../../conformance/report.js";
import type { ConformanceCase } from "../../conformance/types.js";
import { testPki } from "../../link/host/cli-support.js";
import { silentLogger } from "../../link/logger.js";
import { openTesterEvseBoard } from "../commands/conformance-evcc.js";
import { randomSdpPort } from "./live-pair.js";
import { killIfRunning, type NacsProc, spawnNacs } from "./spawn-nacs.js";

/**
 * The EVCC cases the live test runs in `npm test` against `nacs ev` (each must pass): every group of both
 * protocols at least once.
 */
export const CI_EVCC_CASES: readonly string[] = [
  "evcc-din-normal-001",
  "evcc-din-seq-001",
  "evcc-din-value-007",
  "evcc-din-timing-006",
  "evcc-din-transport-006",
  "evcc-din-j3400-001",
  "evcc-iso2-normal-002",
  "evcc-iso2-value-008",
  "evcc-iso2-value-015",
  "evcc-iso2-timing-001",
  "evcc-iso2-transport-001",
];

/** A finished run: the summary, the car's stderr, the wall time. */
export interface EvccRun {
  summary: RunSummary;
  evErr: string;
  progress: string;
  wallMs: number;
}

/** Options of {@link runConformanceAgainstEv}. */
export interface EvccPairOptions {
  /** Case IDs; absent: the whole EVCC catalogue (without the TLS ones unless `tls`). */
  cases?: readonly string[];
  /** More `nacs ev` arguments (e.g. `--lab --defect NAME`). */
  evArgs?: readonly string[];
  /** TLS: the tester serves DIR's certificate, the car trusts DIR's root. */
  tls?: boolean;
  /** Bound of the run (ms; default 900 s). */
  timeoutMs?: number;
}

/** The EVCC cases with these IDs (all: undefined). */
function evccCases(ids: readonly string[] | undefined, tls: boolean): ConformanceCase[] {
  const run = CATALOGUE.filter(
    (c) =>
      c.sut === "evcc" && (ids ? ids.includes(c.id) : !c.transport || c.transport === (tls ? "tls" : "tcp")),
  );
  const unknown = (ids ?? []).filter((id) => !run.some((c) => c.id === id));
  if (unknown.length > 0) throw new Error(`not in the EVCC catalogue: ${unknown.join(", ")}`);
  return run;
}

/** Run the cases against a fresh `nacs ev`; the process is killed and the temp dir removed after. */
export async function runConformanceAgainstEv(o: EvccPairOptions = {}): Promise<EvccRun> {
  const dir = mkdtempSync(join(tmpdir(), "nacs-conformance-evcc-"));
  const sdpPort = randomSdpPort();
  const spec = `sim:${join(dir, "world.sock")}`;
  const pki = join(dir, "pki");
  let ev: NacsProc | undefined;
  const t0 = Date.now();
  const board = await openTesterEvseBoard(spec, silentLogger);
  let timer: NodeJS.Timeout | undefined;
  try {
    const tls = o.tls ? await testPki(pki, true) : null;
    ev = spawnNacs([
      "ev",
      "--iface",
      "lo",
      "--no-slac",
      "--sdp-port",
      sdpPort,
      "--board",
      spec,
      "--sessions",
      "0",
      "--protocol",
      "din,iso2",
      ...(tls ? ["--tls", "--test-pki", pki] : []),
      ...(o.evArgs ?? []),
    ]);
    const world = board.world;
    if (!world) throw new Error("the tester hosts no simulated cable");
    for (let waited = 0; !world.cable.plugged; waited += 20) {
      if (waited > 20_000 || ev.child.exitCode !== null) throw new Error(`the car did not join: ${ev.err}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    let progress = "";
    const limits = defaultLimits();
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`EVCC conformance run still going: ${progress}`)),
        o.timeoutMs ?? 900_000,
      );
    });
    const untrusted = async () => {
      const bad = await testPki(join(pki, "untrusted"), true);
      return { key: bad.key, cert: bad.cert, versions: ["1.2" as const] };
    };
    const results = await Promise.race([
      runEvccCases(
        evccCases(o.cases, o.tls ?? false),
        ["din", "iso2"],
        {
          iface: "lo",
          board,
          slac: null,
          mac: Uint8Array.of(0x02, 0, 0, 0, 0, 0x02),
          sdpPort: Number(sdpPort),
          v2gHost: "::1",
          ...(tls && {
            tls: { key: tls.key, cert: tls.cert, versions: ["1.2" as const] },
            untrustedTls: untrusted,
          }),
          limits,
          logger: silentLogger,
        },
        (r, i, total) => {
          const v = r.verdict;
          progress += `[${i + 1}/${total}] ${r.id} ${v.verdict}${v.verdict === "pass" ? "" : ` ${JSON.stringify(v)}`}\n`;
        },
      ),
      late,
    ]);
    const summary = summarize(results, "nacs ev", Date.now() - t0, "evcc");
    return { summary, evErr: ev.err, progress, wallMs: Date.now() - t0 };
  } finally {
    clearTimeout(timer);
    killIfRunning(ev);
    board.unplug();
    await board.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
