/**
 * The EV side of a bench fleet, run as a child process so the EVs' work does not share the measured
 * EVSEs' event loop. Reads the {@link FleetSpec} (and the TLS root, if any) from NACS_FLEET, starts every
 * EV (each hosting its pair's simulated world), then talks JSON lines on stdout: `ready` (worlds hosted),
 * `in-loop` (every EV in the CurrentDemand loop, or ended), `done` (after `stop` on stdin: the
 * round trips of CurrentDemand past the warm-up, and how the sessions ended).
 */
import { createInterface } from "node:readline";
import { FLEET_WARMUP, type FleetEv, type FleetSpec, startFleetEv } from "./fleet.js";

/** Give up waiting for every EV to reach the loop after this long (ms). */
const IN_LOOP_LIMIT_MS = 60_000;

const emit = (o: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(o)}\n`);

async function main(): Promise<void> {
  const spec = JSON.parse(process.env.NACS_FLEET ?? "{}") as FleetSpec & { ca?: string };
  const tls = spec.ca ? { ca: spec.ca } : undefined;
  const evs: FleetEv[] = [];
  for (let i = 0; i < spec.count; i++) evs.push(await startFleetEv(spec, i, tls));
  emit({ event: "ready" });
  const inLoop = () =>
    evs.every((e) => {
      const s = e.live.host.state();
      return s.evcc.charging || s.phase === "ended";
    });
  const until = performance.now() + IN_LOOP_LIMIT_MS;
  while (!inLoop() && performance.now() < until) await new Promise((r) => setTimeout(r, 50));
  emit({ event: "in-loop", all: inLoop() });
  const rl = createInterface({ input: process.stdin });
  await new Promise<void>((r) => rl.on("line", (l) => l.trim() === "stop" && r()));
  for (const e of evs) e.live.push({ kind: "stop" });
  const done = await Promise.all(evs.map((e) => e.live.done));
  const rtt = done.flatMap((d) => (d.samplesByMessage.CurrentDemandRes ?? []).slice(FLEET_WARMUP));
  emit({ event: "done", rtt, ended: done.map((d) => d.stopReason) });
  for (const e of evs) await e.close();
  rl.close();
}

await main();
