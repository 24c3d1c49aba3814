/**
 * SECC response time in the charge loop: this process runs 1 and 100 EVSE controllers (`nacs evse`'s
 * live host: controller, board link, network port), over TCP and TLS 1.2 (ISO 15118-2 CurrentDemandReq) and
 * over TLS 1.3 (the ISO 15118-20 profile: P-521 chain, TLS_AES_256_GCM_SHA384, mutual TLS with the vehicle
 * certificate; ISO 15118-20 DC_ChargeLoopReq) on [::1]. The EVs are the EV
 * controllers of `nacs ev` in a child process (bench/fleet/ev-child.ts), so their work does not share the
 * EVSEs' event loop. Each pair has its own simulated cable (a board link to the world the EV process
 * hosts). Measured at each EVSE: request fully received → response written to the socket (median, p99),
 * and the EV-observed round trip. Target with 100 sessions: median ≤ 0.5 ms, p99 ≤ 2 ms.
 *
 * Each EV charges a 200 kWh battery from 10 % with one CurrentDemandReq every 100 ms for the whole window;
 * the first few loop samples of each session are dropped as warm-up.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { timeStats } from "../src/link/host/stats.js";
import { makeTestPki } from "../tools/pki/make-test-pki.js";
import { FLEET_WARMUP, type FleetEvse, type FleetSpec, loopResponse, startFleetEvse } from "./fleet/fleet.js";
import { type Child, spawnChild } from "./load/config.js";
import { type BenchResult, target } from "./types.js";

/** Measurement window once every session is in the loop (ms): 1 session gets longer for ~100 samples. */
const windowMs = (n: number) => (n === 1 ? 10_000 : 5_000);
/** Pause between CurrentDemandReq of one EV (ms). */
const LOOP_MS = 100;
/** Whole-scenario limit (ms). */
const SCENARIO_LIMIT_MS = 120_000;

/** The EV fleet's `done` line (bench/fleet/ev-child.ts). */
interface EvDone {
  rtt: number[];
}

/** The V2G transport of a scenario. */
type Transport = "tcp" | "tls1.2" | "tls1.3";
/** Every transport; `NACS_SECC_BENCH_TRANSPORTS=tls1.3` (comma list) runs a subset. */
const TRANSPORTS: readonly Transport[] = ["tcp", "tls1.2", "tls1.3"];

const LABELS: Record<Transport, string> = {
  tcp: "TCP",
  "tls1.2": "TLS",
  "tls1.3": "TLS 1.3 (ISO 15118-20 DC, -20 TLS profile, mutual TLS)",
};

async function scenario(
  transport: Transport,
  n: number,
  pki: ReturnType<typeof makeTestPki>,
): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), "nacs-secc-bench-"));
  const spec: FleetSpec = {
    count: n,
    dir,
    sdpPortBase: 20_000 + Math.floor(Math.random() * 10_000),
    // ISO 15118-20 runs only on TLS 1.3 ([V2G20-2356]); TCP and TLS 1.2 carry ISO 15118-2.
    protocol: transport === "tls1.3" ? "iso20" : "iso2",
    loopMs: LOOP_MS,
    timeScale: 1,
  };
  const ca =
    transport === "tls1.2"
      ? { ca: pki.v2gRoot.certPem }
      : transport === "tls1.3"
        ? {
            ca: pki.iso20.v2gRoot.certPem,
            versions: ["1.3"],
            cert: pki.iso20.vehicleChainPem,
            key: pki.iso20.vehicleLeaf.keyPem,
          }
        : {};
  const evs: Child = spawnChild(fileURLToPath(new URL("./fleet/ev-child.ts", import.meta.url)), {
    NACS_FLEET: JSON.stringify({ ...spec, ...ca }),
  });
  const evses: FleetEvse[] = [];
  try {
    await evs.next("ready", SCENARIO_LIMIT_MS);
    const inLoopSeen = evs.next<{ all: boolean }>("in-loop", SCENARIO_LIMIT_MS);
    const server =
      transport === "tls1.2"
        ? { key: pki.seccLeaf.keyPem, cert: pki.seccChainPem }
        : transport === "tls1.3"
          ? {
              key: pki.seccLeaf.keyPem,
              cert: pki.seccChainPem,
              versions: ["1.3" as const],
              tls13: {
                key: pki.iso20.seccLeaf.keyPem,
                cert: pki.iso20.seccChainPem,
                clientCa: pki.iso20.oemRoot.certPem,
              },
            }
          : undefined;
    for (let i = 0; i < n; i++) evses.push(await startFleetEvse(spec, i, server));
    const inLoop = await inLoopSeen;
    if (!inLoop.all) throw new Error("not every session reached the CurrentDemand loop");
    await new Promise((r) => setTimeout(r, windowMs(n)));
    const finished = evs.next<EvDone>("done", SCENARIO_LIMIT_MS);
    evs.send("stop");
    const done = await finished;
    const until = performance.now() + 10_000;
    while (evses.some((e) => e.sessions.length === 0) && performance.now() < until)
      await new Promise((r) => setTimeout(r, 50));
    const sessions = evses.flatMap((e) => e.sessions.slice(0, 1));
    for (const e of evses.splice(0)) await e.close();
    evs.send("exit");
    await evs.exited;
    const loop = loopResponse(spec.protocol);
    const secc = sessions.flatMap((s) => (s.samplesByMessage[loop] ?? []).slice(FLEET_WARMUP));
    const st = timeStats(secc);
    const rt = timeStats(done.rtt);
    const abnormal = sessions.filter((s) => s.stopReason !== "EV ended the session").length;
    const label = `${LABELS[transport]} ${n} session${n > 1 ? "s" : ""}`;
    const r3 = (x: number) => Math.round(x * 1000) / 1000;
    const detail = { samples: st.count, sessions: sessions.length, abnormalEnds: abnormal, max: r3(st.max) };
    return [
      {
        name: `SECC ${loop.replace(/Res$/, "Req")} received → ${loop} written, ${label} (median)`,
        value: r3(st.median),
        unit: "ms",
        ...(n >= 100 ? { target: target("<=", 0.5, st.median) } : {}),
        detail,
      },
      {
        name: `SECC ${loop.replace(/Res$/, "Req")} received → ${loop} written, ${label} (p99)`,
        value: r3(st.p99),
        unit: "ms",
        ...(n >= 100 ? { target: target("<=", 2, st.p99) } : {}),
        detail,
      },
      {
        name: `EV-observed ${loop.replace(/Res$/, "")} round trip, ${label} (median)`,
        value: r3(rt.median),
        unit: "ms",
        detail: { samples: rt.count, p99: r3(rt.p99), max: r3(rt.max) },
      },
      {
        name: `EV-observed ${loop.replace(/Res$/, "")} round trip, ${label} (p99)`,
        value: r3(rt.p99),
        unit: "ms",
      },
    ];
  } finally {
    evs.kill();
    for (const e of evses) await e.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Bench entry point. */
export async function run(): Promise<BenchResult[]> {
  const pki = makeTestPki();
  const out: BenchResult[] = [];
  const only = process.env.NACS_SECC_BENCH_TRANSPORTS?.split(",");
  for (const t of TRANSPORTS.filter((x) => !only || only.includes(x)))
    for (const n of [1, 100]) out.push(...(await scenario(t, n, pki)));
  return out;
}
