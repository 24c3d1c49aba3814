/**
 * One socket-floor run (see `bench/socket-floor.bench.ts`): a server and a client process on [::1], N
 * connections, a round trip every 200 ms on each, measured for `seconds` after 5 s of warm-up.
 */
import { fileURLToPath } from "node:url";
import { spawnChild } from "../load/config.js";

const PEER = fileURLToPath(new URL("./peer.ts", import.meta.url));
export const REQ_BYTES = 64;
export const RES_BYTES = 72;
export const PERIOD_MS = 200;

/** Rounded to 0.1 (a percentage or milliseconds in a report). */
export const r1 = (x: number): number => Math.round(x * 10) / 10;

export interface ClientReport {
  cpuPercent: number;
  requests: number;
  requestsPerS: number;
  late: number;
  p50: number;
  p99: number;
  max: number;
}

/** Both processes' CPU (% of one core) and the client's round trips. */
export async function floorOnce(n: number, seconds: number) {
  const server = spawnChild(PEER, {
    NACS_FLOOR: JSON.stringify({ role: "server", reqBytes: REQ_BYTES, resBytes: RES_BYTES }),
  });
  let client: ReturnType<typeof spawnChild> | undefined;
  try {
    const { port } = await server.next<{ port: number }>("ready", 30_000);
    client = spawnChild(PEER, {
      NACS_FLOOR: JSON.stringify({
        role: "client",
        port,
        n,
        reqBytes: REQ_BYTES,
        resBytes: RES_BYTES,
        periodMs: PERIOD_MS,
        seconds,
        warmupS: 5,
      }),
    });
    await client.next("measuring", 120_000);
    server.send("mark");
    const c = await client.next<ClientReport>("report", (seconds + 60) * 1000);
    server.send("report");
    const s = await server.next<{ cpuPercent: number }>("report", 30_000);
    return { client: c, serverCpuPercent: s.cpuPercent };
  } finally {
    client?.kill();
    server.kill();
  }
}
