/**
 * Transport floor: round-trip latency of a small V2GTP message (8 + 32 bytes) through an echo server over
 * TCP and TLS 1.2 (ECDHE-ECDSA-AES128-SHA256) on [::1], with 1 and 100 concurrent connections, plus the
 * in-memory link. Median and p99 per round trip, and round trips per second. The SECC machine comes later;
 * this is the cost of the transport alone.
 */

import {
  createMemoryLink,
  startTcpServer,
  startTlsServer,
  tcpConnect,
  tlsConnect,
  type V2gConnection,
  type V2gServer,
} from "../src/link/index.js";
import { V2gtpPayloadType } from "../src/v2g/index.js";
import { makeTestPki } from "../tools/pki/make-test-pki.js";
import type { BenchResult } from "./types.js";

const PAYLOAD = new Uint8Array(32).fill(0x5a);

function echo(server: V2gServer): void {
  server.onConnection((c) => c.onMessage((m) => c.send(m.payloadType, m.payload)));
}

/** Sequential round trips on one connection; returns per-trip ms. */
function pingPong(c: V2gConnection, n: number): Promise<number[]> {
  return new Promise((resolve) => {
    const times: number[] = [];
    let t0 = 0;
    const off = c.onMessage(() => {
      times.push(performance.now() - t0);
      if (times.length === n) {
        off();
        resolve(times);
        return;
      }
      t0 = performance.now();
      c.send(V2gtpPayloadType.exi, PAYLOAD);
    });
    t0 = performance.now();
    c.send(V2gtpPayloadType.exi, PAYLOAD);
  });
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function measure(name: string, conns: V2gConnection[], perConn: number): Promise<BenchResult[]> {
  await Promise.all(conns.map((c) => pingPong(c, 20))); // warm-up
  const t0 = performance.now();
  const all = (await Promise.all(conns.map((c) => pingPong(c, perConn)))).flat().sort((a, b) => a - b);
  const wall = performance.now() - t0;
  const r = (x: number) => Math.round(x * 1000) / 1000;
  const detail = { connections: conns.length, roundTrips: all.length, payloadBytes: PAYLOAD.length };
  return [
    { name: `${name} rtt median`, value: r(pct(all, 50)), unit: "ms", detail },
    { name: `${name} rtt p99`, value: r(pct(all, 99)), unit: "ms", detail },
    { name: `${name} round trips`, value: Math.round(all.length / (wall / 1000)), unit: "1/s", detail },
  ];
}

export async function run(): Promise<BenchResult[]> {
  const pki = makeTestPki();
  const out: BenchResult[] = [];
  const host = "::1";
  const tcp = await startTcpServer({ host, port: 0 });
  const tls = await startTlsServer({
    host,
    port: 0,
    tls: { cert: pki.seccChainPem, key: pki.seccLeaf.keyPem },
  });
  echo(tcp);
  echo(tls);
  try {
    for (const n of [1, 100]) {
      const perConn = n === 1 ? 2000 : 50;
      const tcpConns = await Promise.all(
        Array.from({ length: n }, () => tcpConnect({ host, port: tcp.local.port })),
      );
      out.push(...(await measure(`tcp x${n}`, tcpConns, perConn)));
      for (const c of tcpConns) c.close();
      const tHandshake = performance.now();
      const tlsConns: V2gConnection[] = [];
      for (let i = 0; i < n; i++) {
        tlsConns.push(await tlsConnect({ host, port: tls.local.port, tls: { ca: pki.v2gRoot.certPem } }));
      }
      if (n === 1) {
        out.push({
          name: "tls handshake (connect → secure)",
          value: Math.round((performance.now() - tHandshake) * 1000) / 1000,
          unit: "ms",
        });
      }
      out.push(...(await measure(`tls x${n}`, tlsConns, perConn)));
      for (const c of tlsConns) c.close();
    }
    const [a, b] = createMemoryLink();
    b.onMessage((m) => b.send(m.payloadType, m.payload));
    out.push(...(await measure("memory x1", [a], 5000)));
    a.close();
  } finally {
    await tcp.close();
    await tls.close();
  }
  return out;
}
