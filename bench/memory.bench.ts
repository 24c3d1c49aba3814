/**
 * Memory per live EVSE session, idle and charging: N chargers of `nacs evse`'s live host (controller, board
 * link to its simulated cable, SDP server, V2G listener on [::1]) in this process, each hosting its own
 * simulated world with nothing plugged in — a charging park waiting for cars (idle). Then the EVs of
 * `nacs ev` (bench/fleet/ev-child.ts, another process) plug into every cable and charge: once every session
 * is in the CurrentDemand loop, the charging figure. Each reading follows a full garbage collection; the
 * bytes are this process's (the chargers), per session.
 *
 * Parameter: NACS_BENCH_MEM_N (1000).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type FleetEvse, type FleetSpec, startFleetEvse } from "./fleet/fleet.js";
import { fdLimit, spawnChild } from "./load/config.js";
import { machineInfo } from "./load/machine.js";
import { perSession, settledMemory } from "./load/memory.js";
import { type BenchResult, target } from "./types.js";

/** Bytes per charging session we aim for: 10,000 sessions in 1 GB. Design choice. */
const CHARGING_TARGET_BYTES = 100_000;
/** Every session must be in the CurrentDemand loop within this long (ms). */
const IN_LOOP_LIMIT_MS = 180_000;
/** Sockets per idle charger: board (world host + link), SDP, V2G listener. */
const FDS_PER_CHARGER = 5;

export async function run(): Promise<BenchResult[]> {
  const raw = process.env.NACS_BENCH_MEM_N;
  const n = raw === undefined || raw === "" ? 1000 : Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 20_000)
    throw new Error(`NACS_BENCH_MEM_N=${JSON.stringify(raw)}: must be an integer in [1, 20000]`);
  if (n * FDS_PER_CHARGER + 64 > fdLimit())
    throw new Error(`fd limit ${fdLimit()} is too low for ${n} chargers`);
  const dir = mkdtempSync(join(tmpdir(), "nacs-mem-"));
  const spec: FleetSpec = { count: n, dir, sdpPortBase: 30_000, protocol: "iso2", loopMs: 250, timeScale: 1 };
  const evses: FleetEvse[] = [];
  try {
    // one charger first: module loading and JIT are not a session's
    evses.push(await startFleetEvse(spec, 0));
    const before = await settledMemory();
    for (let i = 1; i < n; i++) evses.push(await startFleetEvse(spec, i));
    const after = await settledMemory();
    const idle = perSession(before, after, n - 1);
    // the EVs plug in and charge (their own process); every session in the loop → the charging reading
    const ev = spawnChild(fileURLToPath(new URL("./fleet/ev-child.ts", import.meta.url)), {
      NACS_FLEET: JSON.stringify(spec),
    });
    let charging: ReturnType<typeof perSession> | null = null;
    let inLoop = 0;
    try {
      await ev.next("ready", 120_000);
      const count = () => evses.filter((e) => e.live.host.state().secc.powerDelivery === "start").length;
      for (const until = performance.now() + IN_LOOP_LIMIT_MS; performance.now() < until; ) {
        inLoop = count();
        if (inLoop === n) break;
        await new Promise((r) => setTimeout(r, 500));
      }
      // the figure only when every session charges (else it would mix idle and charging sessions)
      if (inLoop === n) charging = perSession(before, await settledMemory(), n - 1);
      const done = ev.next("done", 120_000);
      ev.send("stop");
      await done;
    } finally {
      for (const e of evses.splice(0)) await e.close();
      ev.send("exit");
      await Promise.race([ev.exited, new Promise((r) => setTimeout(r, 30_000))]);
      ev.kill();
    }
    return [
      {
        name: `memory per idle live EVSE session (nothing plugged in), ${n} chargers in one process`,
        value: idle.heapAndExternalBytes,
        unit: "bytes",
        detail: { ...idle, chargers: n, heapUsedAfterMB: Math.round(after.heapUsed / 1e6), ...machineInfo() },
      },
      {
        name: `memory per charging live EVSE session (in the CurrentDemand loop), ${n} chargers in one process`,
        value: charging?.heapAndExternalBytes ?? -1,
        unit: "bytes",
        target: target(
          "<=",
          CHARGING_TARGET_BYTES,
          charging?.heapAndExternalBytes ?? Number.POSITIVE_INFINITY,
        ),
        detail: { ...charging, sessionsInLoop: inLoop, chargers: n },
      },
    ];
  } finally {
    for (const e of evses) await e.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
