/**
 * Pure SECC step time for CurrentDemandReq (decode → step → encode), DIN 70121 and ISO 15118-2: median ns
 * per request over batches, and requests/s. The SECC is first driven to the charge loop with the EVCC's own
 * request builders; every iteration feeds the same CurrentDemandReq bytes (the state carries forward).
 */

import { dinEvccModule } from "../src/v2g/din/evcc/module.js";
import { iso2EvccModule } from "../src/v2g/iso2/evcc/module.js";
import { stepSecc } from "../src/v2g/session/secc.js";
import { event, request, startSecc, through, withProgress } from "../src/v2g/session/testing/drive-secc.js";
import { V2G_SECC_PERFORMANCE_TIME_CURRENT_DEMAND_MS } from "../src/v2g/session/timeouts.js";
import { type BenchResult, target } from "./types.js";

function seccInLoop(protocol: "din" | "iso2") {
  const d = startSecc(protocol);
  through(d, [
    "SessionSetup",
    "ServiceDiscovery",
    "PaymentSelection",
    "Authorization",
    "ChargeParameterDiscovery",
  ]);
  event(d, { kind: "cp", state: "C", tMs: d.t });
  request(d, "CableCheck");
  event(d, {
    kind: "port",
    readings: { isolation: { state: "done", level: "Valid" }, presentVoltageV: 380, presentCurrentA: 120 },
    tMs: d.t,
  });
  through(d, ["CableCheck", "PreCharge"]);
  withProgress(d, "start");
  request(d, "PowerDelivery");
  const mod = protocol === "din" ? dinEvccModule : iso2EvccModule;
  const msg = mod.messages.CurrentDemand!;
  const bytes = mod.encode(d.s.sessionId!, msg.req, msg.build({ ...d.ev, sessionId: d.s.sessionId })).bytes;
  return { state: d.s, bytes, t: d.t };
}

function bench(protocol: "din" | "iso2"): BenchResult[] {
  let { state, bytes, t } = seccInLoop(protocol);
  const batch = 500;
  const perOp: number[] = [];
  const deadline = performance.now() + 1_500;
  let total = 0;
  let sent = 0;
  while (performance.now() < deadline) {
    const t0 = performance.now();
    for (let i = 0; i < batch; i++) {
      t += 100;
      const [s, fx] = stepSecc(state, { kind: "message", payloadType: 0x8001, bytes, tMs: t });
      state = s;
      for (const f of fx) if (f.kind === "send") sent++;
    }
    const dt = performance.now() - t0;
    perOp.push((dt * 1e6) / batch);
    total += batch;
  }
  if (sent !== total || state.conn !== "session")
    throw new Error(`${protocol}: SECC left the charge loop (${sent}/${total})`);
  perOp.sort((a, b) => a - b);
  const median = perOp[Math.floor(perOp.length / 2)]!;
  const budgetNs = V2G_SECC_PERFORMANCE_TIME_CURRENT_DEMAND_MS * 1e6;
  return [
    {
      name: `${protocol} SECC CurrentDemandReq decode→step→encode (median)`,
      value: Math.round(median),
      unit: "ns",
      target: target("<=", budgetNs, median),
      detail: { batches: perOp.length, batch, budget: "V2G_SECC_PERFORMANCE_TIME_CURRENT_DEMAND_MS (25 ms)" },
    },
    { name: `${protocol} SECC CurrentDemand requests/s`, value: Math.round(1e9 / median), unit: "ops/s" },
  ];
}

/** Bench entry point. */
export async function run(): Promise<BenchResult[]> {
  return [...bench("din"), ...bench("iso2")];
}
