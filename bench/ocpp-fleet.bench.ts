/**
 * OCPP fleet bench: N chargers (NACS_OCPP_FLEET_N, default 1000), each the live EVSE of `nacs evse` with the
 * OCPP 2.0.1 station of `nacs evse --ocpp` (the same station and glue, strict schema validation), one OCPP
 * connection each to one local test CSMS (`nacs csms`, a child process), and one DC session each with an
 * EV of `nacs ev` (the bench fleet's EV child process, on [::1] TCP and the simulated cables). The chargers
 * start spread over the ramp; every EV waits (EVSEProcessing Ongoing) until the CSMS accepted the driver's
 * token (Authorize), charges through the window with meter values every NACS_OCPP_FLEET_METER_S seconds,
 * then stops; every transaction must end (TransactionEvent Ended) with its charger's meter reading.
 *
 * Measured: OCPP messages per second at the CSMS (every CALL and CALLRESULT both ways, over the run from the
 * first BootNotification to the last Ended), the station's CSMS round trip (CALL sent → CALLRESULT received)
 * median and p99 over every call, and the counts that say the run was whole: sessions in the charge loop,
 * transactions ended with the meter (0.1 %), schema errors on both sides, calls undelivered.
 *
 * Parameters: NACS_OCPP_FLEET_N (1000), NACS_OCPP_FLEET_WINDOW_S (20), NACS_OCPP_FLEET_RAMP_S (20),
 * NACS_OCPP_FLEET_METER_S (10), NACS_OCPP_FLEET_STOP_S (= the ramp: the EVs leave one by one over it, as
 * they came; 0 = all at the same moment).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type EvseOcpp,
  type EvseOcppReport,
  ocppSeccReadings,
  startEvseOcpp,
} from "../src/cli/live/evse-ocpp.js";
import { timeStats } from "../src/link/host/stats.js";
import type { CsmsSummary } from "../src/link/ocpp/csms.js";
import { type FleetEvse, type FleetSpec, startFleetEvse } from "./fleet/fleet.js";
import { type Child, fdLimit, r3, sleep, spawnChild } from "./load/config.js";
import { machineInfo } from "./load/machine.js";
import { type BenchResult, target } from "./types.js";

/** Sockets per charger in this process: board link, V2G listener, V2G connection, SDP, OCPP. */
const FDS_PER_CHARGER = 5;
/** The CSMS round-trip p99 we aim for with 1,000 chargers on this machine (ms). Design choice. */
const RTT_P99_TARGET_MS = 100;

const env = (name: string, dflt: number, min: number, max: number) => {
  const raw = process.env[name];
  const v = raw === undefined || raw === "" ? dflt : Number(raw);
  if (!Number.isFinite(v) || v < min || v > max)
    throw new Error(`${name}=${JSON.stringify(raw)}: must be a number in [${min}, ${max}]`);
  return v;
};

/** Start `nacs csms` on a free port; resolves with its URL and a stop that returns its `--json` summary. */
async function startCsmsChild(): Promise<{ url: string; stop(): Promise<CsmsSummary>; kill(): void }> {
  const bin = fileURLToPath(new URL("../bin/nacs.js", import.meta.url));
  const cp = spawn(process.execPath, [bin, "csms", "--port", "0", "--json"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  cp.stdout.on("data", (b: Buffer) => {
    out += b.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`nacs csms did not start: ${err}`)), 60_000);
    cp.stderr.on("data", (b: Buffer) => {
      err += b.toString();
      const m = /listening on (ws:\/\/\S+)/.exec(err);
      if (m?.[1]) {
        clearTimeout(t);
        resolve(m[1]);
      }
    });
  });
  const exited = new Promise<void>((r) => cp.on("close", () => r()));
  return {
    url,
    kill: () => cp.kill("SIGKILL"),
    async stop() {
      cp.kill("SIGTERM");
      // its summary of 1,000 transactions is a few hundred kB: all of it, once the process has ended
      await Promise.race([exited, sleep(120_000)]);
      try {
        return JSON.parse(out) as CsmsSummary;
      } catch (e) {
        throw new Error(
          `nacs csms summary (${out.length} B, exited: ${cp.exitCode}): ${(e as Error).message}`,
        );
      }
    },
  };
}

const stats = (xs: number[]) => {
  const s = timeStats(xs);
  return { count: s.count, p50: r3(s.median), p99: r3(s.p99), max: r3(s.max) };
};

/** Bench entry point. */
export async function run(): Promise<BenchResult[]> {
  const n = Math.round(env("NACS_OCPP_FLEET_N", 1000, 1, 5000));
  const windowS = env("NACS_OCPP_FLEET_WINDOW_S", 20, 1, 600);
  const rampS = env("NACS_OCPP_FLEET_RAMP_S", 20, 0, 600);
  const meterS = Math.round(env("NACS_OCPP_FLEET_METER_S", 10, 1, 3600));
  // the EVs leave one by one over this many seconds (0: all at the same moment)
  const stopS = env("NACS_OCPP_FLEET_STOP_S", rampS, 0, 600);
  const limit = fdLimit();
  if (n * FDS_PER_CHARGER + 64 > limit)
    throw new Error(`fd limit ${limit} (ulimit -n) is too low for ${n} chargers`);
  const dir = mkdtempSync(join(tmpdir(), "nacs-ocpp-fleet-"));
  const spec: FleetSpec = { count: n, dir, sdpPortBase: 21_000, protocol: "iso2", loopMs: 250, timeScale: 1 };
  const csms = await startCsmsChild();
  const evChild: Child = spawnChild(fileURLToPath(new URL("./fleet/ev-child.ts", import.meta.url)), {
    NACS_FLEET: JSON.stringify(spec),
  });
  const chargers: { fleet: FleetEvse; ocpp: EvseOcpp }[] = [];
  const rtt: number[] = [];
  try {
    await evChild.next("ready", 180_000);
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      const due = t0 + (rampS * 1000 * i) / n;
      if (due > performance.now()) await sleep(due - performance.now());
      const fleet = await startFleetEvse(spec, i, undefined, undefined, ocppSeccReadings());
      // registered with the CSMS (BootNotification accepted) before the next charger comes up
      const ocpp = await startEvseOcpp(
        { ocpp: `${csms.url}/F${i}`, ocppMeterInterval: meterS },
        fleet.live,
        () => {},
        {
          serialNumber: `FLEET-${i}`,
          onRoundTrip: (_a, ms) => rtt.push(ms),
        },
      );
      chargers.push({ fleet, ocpp });
    }
    const started = performance.now() - t0;
    const inLoop = () =>
      chargers.filter((c) => c.fleet.live.host.state().secc.powerDelivery === "start").length;
    const deadline = performance.now() + 120_000;
    while (inLoop() < n && performance.now() < deadline) await sleep(200);
    const allInLoopS = (performance.now() - t0) / 1000;
    const inLoopAtWindow = inLoop();
    // the chargers that did not get there, and where they stand (a bench that hides them is no bench)
    const stragglers = chargers.flatMap((c, i) => {
      const st = c.fleet.live.host.state();
      return st.secc.powerDelivery === "start"
        ? []
        : [
            {
              i,
              phase: st.phase,
              cp: st.cp,
              stopReason: st.stopReason,
              authorization: st.secc.readings?.authorization,
            },
          ];
    });
    await sleep(windowS * 1000);
    const done = evChild.next("done", 180_000);
    evChild.send(`stop ${Math.round(stopS * 1000)}`);
    await done;
    const until = performance.now() + 60_000 + stopS * 1000;
    while (chargers.some((c) => c.fleet.sessions.length === 0) && performance.now() < until) await sleep(100);
    const reports: EvseOcppReport[] = await Promise.all(chargers.map((c) => c.ocpp.finish()));
    const runS = (performance.now() - t0) / 1000;
    const meters = chargers.map((c) => c.fleet.sessions[0]?.energyDeliveredWh ?? null);
    const count = (xs: (string | null | undefined)[]) => {
      const out: Record<string, number> = {};
      for (const x of xs) out[x ?? "none"] = (out[x ?? "none"] ?? 0) + 1;
      return out;
    };
    // how the sessions ended, at the EVSE and as the CSMS was told
    const evseStops = count(
      chargers.map((c) => {
        const x = c.fleet.sessions[0];
        return x ? `${x.stopReason}${x.safety.length ? ` (trip ${x.safety[0]?.fault})` : ""}` : undefined;
      }),
    );
    const normalEnds = chargers.filter((c) => {
      const x = c.fleet.sessions[0];
      return x !== undefined && x.safety.length === 0 && /^EV /.test(String(x.stopReason));
    }).length;
    for (const c of chargers.splice(0)) await c.fleet.close();
    evChild.send("exit");
    await evChild.exited;
    const sum = await csms.stop();
    const messages = Object.values(sum.messages).reduce((a, b) => a + b, 0);
    // each charger's one transaction: Ended, with its charger's meter (0.1 %)
    const txs = Object.values(sum.transactions);
    const endedWithMeter = reports.filter((r, i) => {
      const tx = r.transactions[0] === undefined ? undefined : sum.transactions[r.transactions[0]];
      const m = meters[i];
      return (
        tx?.endedEnergyWh != null && m != null && Math.abs(tx.endedEnergyWh - m) <= Math.max(1, m * 0.001)
      );
    }).length;
    const st = stats(rtt);
    const detail = {
      chargers: n,
      rampS,
      windowS,
      stopSpreadS: stopS,
      meterIntervalS: meterS,
      startedAfterS: r3(started / 1000),
      allInLoopAfterS: r3(allInLoopS),
      inLoopAtWindow,
      stragglers: stragglers.slice(0, 20),
      runS: r3(runS),
      messages,
      transactions: txs.length,
      endedWithMeter,
      evseStops,
      csmsStoppedReasons: count(txs.map((x) => x.stoppedReason)),
      csmsSchemaErrors: sum.schemaErrors,
      csmsCallErrors: sum.callErrors,
      stationSchemaFailures: reports.reduce((a, r) => a + r.schemaFailures.length, 0),
      undelivered: reports.reduce((a, r) => a + r.undelivered, 0),
      fdLimit: limit,
      ...machineInfo(),
    };
    const label = `${n} chargers, one OCPP 2.0.1 connection and one DC session each`;
    return [
      {
        name: `OCPP transactions ended with the charger's meter (${label})`,
        value: endedWithMeter,
        unit: "transactions",
        target: target(">=", n, endedWithMeter),
        detail,
      },
      {
        name: `sessions ended by the EV's own stop, no trip (${label})`,
        value: normalEnds,
        unit: "sessions",
        target: target(">=", n, normalEnds),
        detail: { evseStops, stopSpreadS: stopS },
      },
      {
        name: `OCPP messages per second at the CSMS (${label})`,
        value: Math.round(messages / runS),
        unit: "msg/s",
        detail,
      },
      { name: `CSMS round trip, median (${label})`, value: st.p50, unit: "ms", detail: st },
      {
        name: `CSMS round trip, p99 (${label})`,
        value: st.p99,
        unit: "ms",
        target: target("<=", RTT_P99_TARGET_MS, st.p99),
        detail: st,
      },
    ];
  } finally {
    for (const c of chargers) await c.fleet.close().catch(() => {});
    // after a failure: the children this bench started, by their PIDs
    csms.kill();
    if (evChild.pid > 0)
      try {
        process.kill(evChild.pid, "SIGKILL");
      } catch {
        // already gone
      }
    rmSync(dir, { recursive: true, force: true });
  }
}
