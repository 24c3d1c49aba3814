/**
 * SECC response time for CurrentDemandReq (issue 4 acceptance): one SeccServer process (this one) serving
 * 1 and 100 concurrent sessions over TCP and over TLS 1.2 on [::1]. The EVs are real EVCC machines in a
 * child process (this file run with `--client`), so their work does not share the server's event loop.
 * Measured at the SECC: request fully received → response written to the socket (median, p99); and the
 * client-observed round trip. Target with 100 sessions: median < 0.5 ms, p99 < 2 ms.
 *
 * Each session charges slowly (model 10× real, 10 % → 100 %) so it stays in the CurrentDemand loop
 * (one request per 100 ms, the EVCC's pacing) for the whole window; the first few loop samples of each
 * session are dropped as warm-up.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { runEvccSession } from "../src/link/host/evcc-session.js";
import { startSeccServer } from "../src/link/host/secc-server.js";
import { timeStats } from "../src/link/host/stats.js";
import type { SessionSummary } from "../src/link/host/summary.js";
import { tcpConnect, tlsConnect, type V2gConnection } from "../src/link/index.js";
import { makeTestPki } from "../tools/pki/make-test-pki.js";
import { type BenchResult, target } from "./types.js";

/** Loop samples dropped per session (connection warm-up, JIT). */
const WARMUP = 5;
/** Measurement window once every session is in the loop (ms): 1 session gets longer for ~100 samples. */
const windowMs = (n: number) => (n === 1 ? 10_000 : 5_000);
const TIME_SCALE = 10;

const LOOP = "CurrentDemandRes";

/** Client mode: open `n` sessions to [::1]:port, stop them after the window, print RTT samples as JSON. */
async function client(port: number, n: number, tlsCa: string | undefined): Promise<void> {
  const sessions = await Promise.all(
    Array.from({ length: n }, async () => {
      const conn: V2gConnection = tlsCa
        ? await tlsConnect({ host: "::1", port, tls: { ca: tlsCa } })
        : await tcpConnect({ host: "::1", port });
      return runEvccSession(conn, {
        mode: "dc",
        readings: { fullSocPercent: 100 },
        plant: { socPercent: 10, timeScale: TIME_SCALE },
      });
    }),
  );
  const inLoop = () => sessions.every((s) => s.state().charging || s.state().conn === "ended");
  const until = performance.now() + 30_000;
  while (!inLoop() && performance.now() < until) await new Promise((r) => setTimeout(r, 50));
  process.stdout.write(`${JSON.stringify({ event: "in-loop" })}\n`);
  await new Promise((r) => setTimeout(r, windowMs(n)));
  for (const s of sessions) s.control({ op: "stop" });
  const done = await Promise.all(sessions.map((s) => s.done));
  const rtt = done.flatMap((d) => (d.samplesByMessage[LOOP] ?? []).slice(WARMUP));
  const ended = done.map((d) => d.stopReason);
  process.stdout.write(`${JSON.stringify({ event: "done", rtt, ended })}\n`);
}

function spawnClient(port: number, n: number, tls: boolean, caPem: string): ChildProcess {
  const self = fileURLToPath(import.meta.url);
  return spawn(
    process.execPath,
    ["--import", "tsx", self, "--client", String(port), String(n), tls ? "tls" : "tcp"],
    {
      stdio: ["pipe", "pipe", "inherit"],
      env: { ...process.env, NACS_BENCH_CA: tls ? caPem : "" },
    },
  );
}

async function scenario(
  tls: boolean,
  n: number,
  pki: ReturnType<typeof makeTestPki>,
): Promise<BenchResult[]> {
  const server = await startSeccServer({
    host: "::1",
    port: 0,
    mode: "dc",
    plant: { timeScale: TIME_SCALE },
    ...(tls ? { tls: { key: pki.seccLeaf.keyPem, cert: pki.seccChainPem } } : {}),
  });
  const summaries: SessionSummary[] = [];
  server.onSummary((s) => summaries.push(s));
  const child = spawnClient(server.local.port, n, tls, pki.v2gRoot.certPem);
  let out = "";
  child.stdout?.on("data", (d: Buffer) => {
    out += d.toString();
  });
  const code = await new Promise<number | null>((r) => child.on("close", r));
  await server.close();
  const line = out
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as { event: string; rtt?: number[]; ended?: string[] })
    .find((x) => x.event === "done");
  if (code !== 0 || !line?.rtt)
    throw new Error(`secc bench client failed (exit ${code}): ${out.slice(-500)}`);
  const secc = summaries.flatMap((s) => (s.samplesByMessage[LOOP] ?? []).slice(WARMUP));
  const st = timeStats(secc);
  const rt = timeStats(line.rtt);
  const abnormal = summaries.filter((s) => s.stopReason !== "terminated").length;
  const label = `${tls ? "TLS" : "TCP"} ${n} session${n > 1 ? "s" : ""}`;
  const r3 = (x: number) => Math.round(x * 1000) / 1000;
  const detail = { samples: st.count, sessions: summaries.length, abnormalEnds: abnormal, max: r3(st.max) };
  const res: BenchResult[] = [
    {
      name: `SECC CurrentDemandReq received → CurrentDemandRes written, ${label} (median)`,
      value: r3(st.median),
      unit: "ms",
      ...(n >= 100 ? { target: target("<=", 0.5, st.median) } : {}),
      detail,
    },
    {
      name: `SECC CurrentDemandReq received → CurrentDemandRes written, ${label} (p99)`,
      value: r3(st.p99),
      unit: "ms",
      ...(n >= 100 ? { target: target("<=", 2, st.p99) } : {}),
      detail,
    },
    {
      name: `EV-observed CurrentDemand round trip, ${label} (median)`,
      value: r3(rt.median),
      unit: "ms",
      detail: { samples: rt.count, p99: r3(rt.p99), max: r3(rt.max) },
    },
    { name: `EV-observed CurrentDemand round trip, ${label} (p99)`, value: r3(rt.p99), unit: "ms" },
  ];
  return res;
}

/** Bench entry point. */
export async function run(): Promise<BenchResult[]> {
  const pki = makeTestPki();
  const out: BenchResult[] = [];
  for (const tls of [false, true]) for (const n of [1, 100]) out.push(...(await scenario(tls, n, pki)));
  return out;
}

if (
  process.argv[1] &&
  import.meta.url === pathToFileURL(resolve(process.argv[1])).href &&
  process.argv[2] === "--client"
) {
  const [port, n, mode] = process.argv.slice(3);
  await client(Number(port), Number(n), mode === "tls" ? process.env.NACS_BENCH_CA : undefined);
}
