/**
 * SLAC over raw Ethernet between network namespaces (issue 5 §4): time from plug-in (the EV station
 * starts SLAC) to link ready (EV matched; modem "none", so no modem join) over a veth, measured by the EV
 * station itself, and the wall time from spawning the EV process to its result (Node + tsx start-up
 * included). Needs root (CI runs as root); otherwise it prints why and reports nothing.
 * Target: link ready within TT_EV_atten_results + 2 × TT_match_response (the EV waits TT_EV_atten_results
 * for CM_ATTEN_CHAR.IND by design, so that is the floor).
 */
import { existsSync } from "node:fs";
import { rawAddonPath } from "../src/link/raw/addon.js";
import { TT_EV_ATTEN_RESULTS_MS, TT_MATCH_RESPONSE_MS } from "../src/slac/index.js";
import { netnsSkipReason } from "../tools/netns/netns.js";
import { runSlacNetns } from "../tools/netns/slac-netns.js";
import { type BenchResult, target } from "./types.js";

const RUNS = 5;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};
const round = (x: number) => Math.round(x * 10) / 10;

export async function run(): Promise<BenchResult[]> {
  const skip = netnsSkipReason() ?? (existsSync(rawAddonPath()) ? undefined : "raw Ethernet addon not built");
  if (skip) {
    process.stderr.write(`  skipped: ${skip}\n`);
    return [];
  }
  const linkReady: number[] = [];
  const wall: number[] = [];
  let frames = 0;
  for (let i = 0; i < RUNS; i++) {
    const r = await runSlacNetns();
    r.cleanup();
    if (r.ev.outcome !== "matched" || r.evse.outcome !== "matched") {
      throw new Error(
        `netns run ${i} did not match: ${JSON.stringify({ ev: r.ev.outcome, evse: r.evse.outcome })}`,
      );
    }
    linkReady.push(r.ev.atMs);
    wall.push(r.evWallMs);
    frames = r.ev.framesSent + r.evse.framesSent;
  }
  const bound = TT_EV_ATTEN_RESULTS_MS + 2 * TT_MATCH_RESPONSE_MS;
  return [
    {
      name: "plug-in to link ready over veth (modem none), median",
      value: round(median(linkReady)),
      unit: "ms",
      target: target("<=", bound, median(linkReady)),
      detail: {
        runs: RUNS,
        all: linkReady.map(round),
        max: round(Math.max(...linkReady)),
        framesPerMatch: frames,
      },
    },
    {
      name: "EV process spawn to link ready (incl. Node/tsx start-up), median",
      value: round(median(wall)),
      unit: "ms",
      detail: { all: wall.map(round) },
    },
  ];
}
