/**
 * SLAC in memory: plug-in to link ready over the in-memory medium on the virtual clock (issue 5 §3).
 * Reports the wall time of a whole match (step functions + codec round trip of every frame + medium),
 * the virtual duration plug-in → matched (bounded by TT_EV_atten_results + two TT_match_response), and
 * matches per second on one core. Target: a full match in ≤ 5 ms wall time, so property tests with
 * hundreds of runs stay fast.
 */
import { runSlac, seededPrng, TT_EV_ATTEN_RESULTS_MS, TT_MATCH_RESPONSE_MS } from "../src/slac/index.js";
import { type BenchResult, target } from "./types.js";

const mac = (n: number) => Uint8Array.from([0x02, 0x00, 0x5e, 0x10, 0x00, n]);

function once(seed: number, modem: "none" | "qca") {
  const r = runSlac({
    seed,
    evses: [{ name: "evse", config: { mac: mac(1), random: seededPrng(seed).bytes, modem } }],
    evs: [
      { name: "ev", config: { mac: mac(2), random: seededPrng(seed + 1).bytes, modem }, plugInto: "evse" },
    ],
    links: [{ a: "evse", b: "ev", link: { attenuationDb: 20 } }],
  });
  const o = r.stations.ev?.outcome;
  if (o?.kind !== "matched") throw new Error(`bench run ${seed} did not match: ${JSON.stringify(o)}`);
  return { virtualMs: o.atMs, events: r.events };
}

export async function run(): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  for (const modem of ["none", "qca"] as const) {
    for (let i = 0; i < 50; i++) once(i, modem); // warm-up
    const n = 500;
    let virtualMs = 0;
    let events = 0;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      const r = once(1000 + i, modem);
      virtualMs = Math.max(virtualMs, r.virtualMs);
      events += r.events;
    }
    const wallMs = (performance.now() - t0) / n;
    out.push(
      {
        name: `match wall time (modem ${modem})`,
        value: Number(wallMs.toFixed(3)),
        unit: "ms/match",
        target: target("<=", 5, wallMs),
        detail: { runs: n, eventsPerMatch: events / n },
      },
      {
        name: `plug-in to link ready, virtual (modem ${modem})`,
        value: virtualMs,
        unit: "virtual ms",
        ...(modem === "none"
          ? { target: target("<=", TT_EV_ATTEN_RESULTS_MS + 2 * TT_MATCH_RESPONSE_MS, virtualMs) }
          : {}),
        detail: {
          note: modem === "qca" ? "includes modeled SET_KEY.CNF 5 ms and join 300 ms" : "max over runs",
        },
      },
      { name: `matches/s (modem ${modem})`, value: Math.round(1000 / wallMs), unit: "matches/s" },
    );
  }
  return out;
}
