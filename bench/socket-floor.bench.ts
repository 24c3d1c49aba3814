/**
 * Socket floor: what the live fleet's charge loop costs in bare Node sockets, with nothing above them (no
 * V2GTP, no EXI, no controllers, no simulated board). One server process answers, one client process holds N
 * TCP connections on [::1], each a request and its response every 200 ms as the live bench's vehicles do
 * (CurrentDemandReq 200 ms after each response), so both processes share this machine as the two fleets do.
 * Whatever the stack above, a live fleet of N pairs on this host needs at least this CPU; if the floor of N
 * already fills the cores, N pairs cannot be held here.
 *
 * Parameters: NACS_SOCKET_FLOOR_N ("1000,2500,5000,10000"), NACS_SOCKET_FLOOR_SECONDS (15, after 5 s of
 * warm-up). Message sizes: 64-byte requests, 72-byte responses (a V2GTP header and an ISO 15118-2
 * CurrentDemandReq/Res in EXI are of that size).
 */
import { floorOnce, PERIOD_MS, REQ_BYTES, RES_BYTES, r1 } from "./socket-floor/floor.js";
import type { BenchResult } from "./types.js";

export async function run(): Promise<BenchResult[]> {
  const ns = (process.env.NACS_SOCKET_FLOOR_N ?? "1000,2500,5000,10000")
    .split(",")
    .map((x) => Number(x.trim()))
    .filter((x) => Number.isInteger(x) && x > 0);
  const seconds = Number(process.env.NACS_SOCKET_FLOOR_SECONDS ?? 15);
  const out: BenchResult[] = [];
  for (const n of ns) {
    const { client, serverCpuPercent } = await floorOnce(n, seconds);
    // the rate every connection would reach if each round trip took no time
    const idealPerS = (n * 1000) / PERIOD_MS;
    const detail = {
      connections: n,
      requestsPerS: Math.round(client.requestsPerS),
      idealRequestsPerS: idealPerS,
      clientCpuPercent: r1(client.cpuPercent),
      serverCpuPercent: r1(serverCpuPercent),
      rttMs: { p50: r1(client.p50), p99: r1(client.p99), max: r1(client.max) },
      over250Ms: client.late,
      seconds,
    };
    out.push({
      name: `socket floor: CPU of both processes, ${n} TCP connections on [::1], a ${REQ_BYTES}/${RES_BYTES}-byte round trip every ${PERIOD_MS} ms each`,
      value: r1(client.cpuPercent + serverCpuPercent),
      unit: "% of one core",
      detail,
    });
    out.push({
      name: `socket floor: round trip p99, ${n} connections`,
      value: r1(client.p99),
      unit: "ms",
      detail: { requestsPerS: detail.requestsPerS, idealRequestsPerS: idealPerS, over250Ms: client.late },
    });
  }
  return out;
}
