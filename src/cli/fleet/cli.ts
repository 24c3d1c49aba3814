/**
 * The CLI side of the live fleets: `nacs ev --fleet N` and `nacs evse --fleet M` print progress on stderr
 * every few seconds and the summary on stdout (text, or one JSON object with `--json`); they resolve with
 * the exit code.
 */
import type { EvOptions } from "../commands/ev.js";
import type { EvseOptions } from "../commands/evse.js";
import { evseTlsConfig } from "../commands/tls-options.js";
import { isLoopbackHost } from "../loopback.js";
import { onStopSignal } from "../stop-signal.js";
import { evFleetExitCode, runEvFleet } from "./ev-fleet.js";
import { evseFleetExitCode, startEvseFleet } from "./evse-fleet.js";
import { fleetSimDir } from "./options.js";
import { formatEvFleetSummary, formatEvseFleetSummary } from "./summary.js";

/** Progress on stderr every this many ms. */
const PROGRESS_MS = 5_000;

/** `nacs ev --fleet N`. */
export async function runEvFleetCommand(o: EvOptions): Promise<number> {
  const s = await runEvFleet(o, {
    progress: (line) => process.stderr.write(line),
    progressEveryMs: PROGRESS_MS,
  });
  process.stdout.write(o.json ? `${JSON.stringify(s)}\n` : formatEvFleetSummary(s));
  return evFleetExitCode(s);
}

/** The park's warning about its board mux: one on a non-loopback address without a key; else null. */
export function boardMuxWarning(o: Pick<EvseOptions, "boardMux" | "boardMuxKey">): string | null {
  if (!o.boardMux || isLoopbackHost(o.boardMux.host) || o.boardMuxKey !== undefined) return null;
  return `the board mux listens on ${o.boardMux.host}, not loopback, without a key: whoever reaches it plugs vehicles into the simulated cables (--board-mux-key FILE requires a key)`;
}

/** `nacs evse --fleet M`: serves until SIGINT/SIGTERM or `--duration`. */
export async function runEvseFleetCommand(o: EvseOptions): Promise<number> {
  // once here, before the workers: `--test-pki DIR` creates the PKI (the workers then only read it)
  await evseTlsConfig(o);
  const fleet = startEvseFleet(o);
  let stopNow!: () => void;
  const stopped = new Promise<void>((r) => {
    stopNow = r;
  });
  const stopListening = onStopSignal(() => stopNow());
  const t0 = performance.now();
  const tick = setInterval(() => {
    const p = fleet.progress();
    const t = ((performance.now() - t0) / 1000).toFixed(0);
    process.stderr.write(
      `evse fleet t=${t}s: chargers ${p.chargers}, sessions ended ${p.sessions}, in the charge loop ${p.inLoop}, trips ${p.trips}${p.died ? `, workers died ${p.died}` : ""}\n`,
    );
  }, PROGRESS_MS);
  const duration = o.duration !== undefined ? setTimeout(stopNow, o.duration * 1000) : undefined;
  let notReady = false;
  try {
    const r = await Promise.race([fleet.ready, stopped.then(() => null)]);
    if (r) {
      const warning = boardMuxWarning(o);
      if (warning) process.stderr.write(`nacs evse --fleet: warning: ${warning}\n`);
      const key = o.boardMuxKey === undefined ? "" : ", key required";
      const joined = r.chargers - r.cablesHosted;
      // --board sim: which cables the park simulates itself, and which it joined (nacs board-sim --fleet)
      const cables =
        joined > 0 && fleetSimDir(o.board) !== null
          ? `, ${joined} simulated cables joined (hosted by another process${r.viaBoardMux ? `, ${r.viaBoardMux} over its board mux` : ""}), ${r.cablesHosted} hosted here`
          : "";
      process.stderr.write(
        `nacs evse --fleet: ready: ${r.chargers} chargers on ${o.iface}, SDP UDP ${o.sdpPort}+i, board ${o.board}${r.boardMux ? ` (board mux ${r.boardMux.join(", ")}${key})` : ""}${cables}${r.failed.length ? `, ${r.failed.length} could not start (first: #${r.failed[0]!.index} ${r.failed[0]!.reason})` : ""}\n`,
      );
    }
  } catch (e) {
    process.stderr.write(`nacs evse --fleet: ${(e as Error).message}\n`);
    notReady = true;
    stopNow();
  }
  await stopped;
  clearInterval(tick);
  clearTimeout(duration);
  stopListening();
  const s = await fleet.stop();
  process.stdout.write(o.json ? `${JSON.stringify(s)}\n` : formatEvseFleetSummary(s));
  return notReady ? Math.max(1, evseFleetExitCode(s)) : evseFleetExitCode(s);
}
