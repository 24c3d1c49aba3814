/**
 * One side of the socket-floor bench (`bench/socket-floor.bench.ts`): the bare transport of a live fleet's
 * charge loop, with no protocol above it. `NACS_FLOOR={"role":"server"}` listens on [::1] and answers every
 * request of `reqBytes` with `resBytes`; `{"role":"client","port":P,"n":N,…}` opens N connections and on each
 * sends a request, waits for the whole response, then sends the next `periodMs` later (the live bench's
 * CurrentDemandReq cadence), for `seconds` after all are connected.
 *
 * Lines on stdout (JSON): `ready` (server, with its port), `connected` (client), `report` (client: round
 * trips and their percentiles, requests, CPU; server: CPU between `mark` and `report` read on stdin).
 */
import { createConnection, createServer, type Socket } from "node:net";
import { createInterface } from "node:readline";
import { timeStats } from "../../src/link/host/stats.js";

interface Spec {
  role: "server" | "client";
  port?: number;
  n?: number;
  reqBytes: number;
  resBytes: number;
  periodMs?: number;
  seconds?: number;
  warmupS?: number;
}

const spec = JSON.parse(process.env.NACS_FLOOR ?? "{}") as Spec;
const say = (o: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(o)}\n`);
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

if (spec.role === "server") {
  const res = new Uint8Array(spec.resBytes).fill(0x5a);
  let cpu0 = 0;
  let t0 = 0;
  const server = createServer((s: Socket) => {
    s.setNoDelay(true);
    let have = 0;
    s.on("data", (d: Buffer) => {
      have += d.length;
      while (have >= spec.reqBytes) {
        have -= spec.reqBytes;
        s.write(res);
      }
    });
    s.on("error", () => {});
  });
  server.listen(0, "::1", () => {
    const a = server.address();
    say({ event: "ready", port: typeof a === "object" && a ? a.port : 0 });
  });
  createInterface({ input: process.stdin }).on("line", (l) => {
    if (l === "mark") {
      cpu0 = cpuMs();
      t0 = performance.now();
    } else if (l === "report") {
      say({ event: "report", cpuPercent: (100 * (cpuMs() - cpu0)) / (performance.now() - t0) });
      server.close();
      process.exit(0);
    }
  });
} else {
  const n = spec.n ?? 1;
  const periodMs = spec.periodMs ?? 200;
  const req = new Uint8Array(spec.reqBytes).fill(0xa5);
  const rtts: number[] = [];
  let measuring = false;
  const sockets: Socket[] = [];
  /** Each connection's first request (its loop then runs on its responses). */
  const starts: (() => void)[] = [];
  const open = (i: number): Promise<void> =>
    new Promise((resolve, reject) => {
      const s = createConnection({ host: "::1", port: spec.port ?? 0 }, () => resolve());
      s.setNoDelay(true);
      s.on("error", reject);
      let have = 0;
      let sentAt = 0;
      const send = () => {
        sentAt = performance.now();
        s.write(req);
      };
      s.on("data", (d: Buffer) => {
        have += d.length;
        while (have >= spec.resBytes) {
          have -= spec.resBytes;
          if (measuring) rtts.push(performance.now() - sentAt);
          setTimeout(send, periodMs);
        }
      });
      sockets[i] = s;
      starts[i] = send;
    });
  // connect in batches (the listen backlog), then start each connection's loop spread over one period
  for (let i = 0; i < n; i += 200) {
    const batch: Promise<void>[] = [];
    for (let j = i; j < Math.min(n, i + 200); j++) batch.push(open(j));
    await Promise.all(batch);
  }
  say({ event: "connected", connected: sockets.length });
  starts.forEach((send, i) => {
    setTimeout(send, (i * periodMs) / n);
  });
  const warmupMs = (spec.warmupS ?? 5) * 1000;
  await new Promise((r) => setTimeout(r, warmupMs));
  say({ event: "measuring" });
  measuring = true;
  const cpu0 = cpuMs();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, (spec.seconds ?? 15) * 1000));
  measuring = false;
  const cpuPercent = (100 * (cpuMs() - cpu0)) / (performance.now() - t0);
  const wallS = (performance.now() - t0) / 1000;
  const t = timeStats(rtts);
  say({
    event: "report",
    cpuPercent,
    requests: t.count,
    requestsPerS: t.count / wallS,
    // beyond ISO 15118-2 V2G_EVCC_Msg_Timeout for CurrentDemand (250 ms)
    late: rtts.filter((r) => r > 250).length,
    p50: t.median,
    p99: t.p99,
    max: t.max,
  });
  for (const s of sockets) s.destroy();
  process.exit(0);
}
