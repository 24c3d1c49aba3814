import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { nacsEvseArgs, pairProfileJson } from "../../src/cli/testing/conformance-pair.js";
import type { RunSummary } from "../../src/conformance/report.js";
import { createVethPair } from "./netns.js";
import { exited, kill, type Proc, start, until, vethAddressesReady } from "./ns-proc.js";

/** Options of {@link runConformanceNetns}. */
export interface ConformanceNetnsOptions {
  /** Case IDs or globs (`--cases`); absent: the whole catalogue. */
  cases?: readonly string[];
  /** More `nacs evse` arguments (e.g. `--lab --defect NAME`). */
  evseArgs?: readonly string[];
  /** More `nacs conformance` arguments (e.g. `--log-level info`). */
  confArgs?: readonly string[];
  /** Bound of the whole run (ms; default 900 s). */
  timeoutMs?: number;
  /** Namespace tag (netns.ts createVethPair); default the pid. */
  tag?: string;
  /**
   * Which side is under test: `secc` (default: our `nacs evse`, the harness with SLAC as the EV) or `evcc`
   * (our `nacs ev --sessions 0`, the harness as the EVSE hosting the cable; no SLAC: the car half has none).
   */
  sut?: "secc" | "evcc";
  /** SLAC before each session (default true); false: `--no-slac` on both sides. */
  slac?: boolean;
  /** `sut: "secc"`: a DC charger (default) or an AC one (`nacs evse --mode ac`, the AC profile). */
  mode?: "dc" | "ac";
}

/** A finished run: the summary, the exit code, both processes' stderr, the wall time. */
export interface ConformanceNetnsResult {
  summary: RunSummary;
  code: number | null;
  evseErr: string;
  confErr: string;
  wallMs: number;
}

/** Wait for `nacs conformance` to end; its summary. */
async function finished(c: Proc, sut: Proc, deadline: number, t0: number): Promise<ConformanceNetnsResult> {
  await until("nacs conformance", () => exited(c), deadline);
  const code = await c.exit;
  const line = c.out.split("\n").find((l) => l.startsWith("{"));
  if (!line) throw new Error(`nacs conformance printed no summary (exit ${code}): ${c.err.slice(-3000)}`);
  return {
    summary: JSON.parse(line) as RunSummary,
    code,
    evseErr: sut.err,
    confErr: c.err,
    wallMs: performance.now() - t0,
  };
}

/**
 * Run the cases over a fresh veth pair: with SLAC against a fresh `nacs evse`, or (`sut: "evcc"`) against
 * a fresh `nacs ev`.
 */
export async function runConformanceNetns(o: ConformanceNetnsOptions = {}): Promise<ConformanceNetnsResult> {
  const deadline = performance.now() + (o.timeoutMs ?? 900_000);
  const pair = createVethPair(o.tag ?? process.pid);
  const dir = mkdtempSync(join(tmpdir(), "nacs-conformance-netns-"));
  let evse: Proc | undefined;
  let conf: Proc | undefined;
  const t0 = performance.now();
  try {
    await vethAddressesReady(pair, deadline);
    const node = [process.execPath, "bin/nacs.js"];
    const board = ["--board", `sim:${join(dir, "world.sock")}`];
    if (o.sut === "evcc") {
      const noSlac = o.slac === false ? ["--no-slac"] : [];
      // the tester is the EVSE and hosts the cable: it starts first, the car joins
      conf = start(pair.nsEvse, [
        ...node,
        ...["conformance", "--sut", "evcc", "--iface", pair.ifEvse, ...noSlac, ...board, "--json"],
        ...(o.cases ? ["--cases", o.cases.join(",")] : []),
        ...(o.confArgs ?? []),
      ]);
      await until("tester ready", () => /tester EVSE ready/.test(conf?.err ?? ""), deadline, conf);
      evse = start(pair.nsEv, [
        ...node,
        ...["ev", "--iface", pair.ifEv, ...noSlac, ...board, "--sessions", "0", "--protocol", "din,iso2"],
        ...(o.evseArgs ?? []),
      ]);
      return await finished(conf, evse, deadline, t0);
    }
    evse = start(pair.nsEvse, [
      ...node,
      "evse",
      "--iface",
      pair.ifEvse,
      "--sessions",
      "0",
      // the SECC the profile describes: DIN, ISO-2 and ISO 15118-20 DC / DC_BPT, or AC (plain TCP)
      ...nacsEvseArgs(o.mode ?? "dc"),
      "--sequence-timeout",
      "2",
      ...board,
      ...(o.evseArgs ?? []),
    ]);
    await until("EVSE ready", () => /ready on/.test(evse?.err ?? ""), deadline, evse);
    writeFileSync(join(dir, "profile.json"), JSON.stringify(pairProfileJson(o.mode ?? "dc")));
    conf = start(pair.nsEv, [
      ...node,
      "conformance",
      "--sut",
      "secc",
      "--iface",
      pair.ifEv,
      ...board,
      "--profile",
      join(dir, "profile.json"),
      "--json",
      ...(o.cases ? ["--cases", o.cases.join(",")] : []),
      ...(o.confArgs ?? []),
    ]);
    return await finished(conf, evse, deadline, t0);
  } catch (e) {
    const more = `\nconformance stderr: ${conf?.err.slice(-3000) ?? ""}\nSUT stderr: ${evse?.err.slice(-3000) ?? ""}`;
    throw new Error(`${(e as Error).message}${more}`, { cause: e });
  } finally {
    await Promise.all([kill(conf), kill(evse)]);
    pair.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}
