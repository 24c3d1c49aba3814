/**
 * OCPP 2.0.1 stations against one local test CSMS, in one process over loopback (strict schema validation
 * on both sides): N stations (NACS_OCPP_BENCH_N, default 100) connect and boot, then each runs one
 * transaction of synthetic EVSE events (plug-in, Authorize, charging, 10 meter-value updates, end). Measures
 * the time to register them all, the time to deliver every TransactionEvent, and messages per second. The
 * simulator is not in the loop: this is the cost of the OCPP side alone (the 1,000-charger bench with whole
 * simulated sessions comes later).
 */
import { startCsms } from "../src/link/ocpp/csms.js";
import { type OcppStation, startOcppStation } from "../src/link/ocpp/station-client.js";
import type { BenchResult } from "./types.js";

const UPDATES = 10;

export async function run(): Promise<BenchResult[]> {
  const n = Number(process.env.NACS_OCPP_BENCH_N ?? 100);
  const csms = await startCsms({ port: 0 });
  let t = Date.UTC(2026, 0, 1);
  const now = () => t;
  const t0 = performance.now();
  const stations: OcppStation[] = await Promise.all(
    Array.from({ length: n }, (_, i) =>
      startOcppStation({
        url: `${csms.url}/B${i}`,
        now,
        onEvse: () => {},
        config: {
          chargingStation: { vendorName: "nacs", model: "bench" },
          evseId: 1,
          connectorId: 1,
          txUpdatedIntervalS: 1,
          heartbeatIntervalS: 3600,
          bootRetryS: 5,
          transactionPrefix: `B${i}`,
        },
      }),
    ),
  );
  await Promise.all(stations.map((s) => s.registered(60_000)));
  const tBoot = performance.now() - t0;
  const t1 = performance.now();
  for (const s of stations) {
    s.push({ kind: "plugged", tMs: t });
    s.push({ kind: "id-token", idToken: { idToken: "BENCH", type: "ISO14443" }, tMs: t });
    s.push({ kind: "charging", state: "Charging", tMs: t });
  }
  for (let k = 1; k <= UPDATES; k++) {
    t += 1000;
    for (const s of stations) {
      s.push({ kind: "meter", reading: { energyWh: k * 100, powerW: 360_000 }, tMs: t });
      s.push({ kind: "tick", tMs: t });
    }
  }
  for (const s of stations) s.push({ kind: "session-end", cause: { kind: "ev", reason: "bench" }, tMs: t });
  const drained = await Promise.all(stations.map((s) => s.drain(120_000)));
  const tTx = performance.now() - t1;
  const sum = csms.summary();
  const messages = Object.values(sum.messages).reduce((a, b) => a + b, 0);
  const ended = Object.values(sum.transactions).filter((x) => x.endedEnergyWh === UPDATES * 100).length;
  await Promise.all(stations.map((s) => s.close()));
  await csms.close();
  const detail = {
    stations: n,
    messages,
    ended,
    undrained: drained.filter((d) => !d).length,
    schemaErrors: sum.schemaErrors,
  };
  return [
    { name: `ocpp ${n} stations: connect + boot`, value: Math.round(tBoot), unit: "ms", detail },
    {
      name: `ocpp ${n} stations: ${UPDATES + 4} TransactionEvents each`,
      value: Math.round(tTx),
      unit: "ms",
      detail,
    },
    {
      name: `ocpp ${n} stations: messages per second`,
      value: Math.round(messages / ((tBoot + tTx) / 1000)),
      unit: "msg/s",
      detail,
    },
  ];
}
