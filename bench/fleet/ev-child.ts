/**
 * The EV side of a bench fleet, run as a child process so the EVs' work does not share the measured
 * EVSEs' event loop. Reads the {@link FleetSpec} (and the TLS root, versions and vehicle certificate, if
 * any) from NACS_FLEET, starts every
 * EV (each hosting its pair's simulated world), then talks JSON lines on stdout: `ready` (worlds hosted),
 * `in-loop` (every EV in the CurrentDemand loop, or ended), `done` (after `stop [SPREAD_MS]` on stdin: the
 * round trips of CurrentDemand past the warm-up, and how the sessions ended). After `done` the cables
 * are pulled; `exit` on stdin closes everything. `window-start` starts the CPU and event-loop figures;
 * `estop I` presses the emergency-stop button of pair I's charger in its simulated world (`done` lists the
 * presses with their time on the monotonic clock, ms).
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import { createInterface } from "node:readline";
import type { TlsClientConfig } from "../../src/link/index.js";
import { emit, lateMs } from "../load/config.js";
import { FLEET_WARMUP, type FleetEv, type FleetSpec, loopResponse, startFleetEv } from "./fleet.js";

/** After `stop`, an EV's session must have ended within this long (ms). */
const END_LIMIT_MS = 20_000;
/** Give up waiting for every EV to reach the loop after this long (ms). */
const IN_LOOP_LIMIT_MS = 60_000;

async function main(): Promise<void> {
  const spec = JSON.parse(process.env.NACS_FLEET ?? "{}") as FleetSpec &
    Partial<Pick<TlsClientConfig, "versions" | "cert" | "key">> & { ca?: string };
  // TLS 1.3 (ISO 15118-20): the versions and the vehicle certificate come along with the root.
  const tls: TlsClientConfig | undefined = spec.ca
    ? {
        ca: spec.ca,
        ...(spec.versions ? { versions: spec.versions } : {}),
        ...(spec.cert && spec.key ? { cert: spec.cert, key: spec.key } : {}),
      }
    : undefined;
  const evs: FleetEv[] = [];
  const first = spec.first ?? 0;
  const share = spec.share ?? spec.count;
  for (let i = first; i < first + share; i++) evs.push(await startFleetEv(spec, i, tls));
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
  const presses: [number, number][] = [];
  const delay = monitorEventLoopDelay({ resolution: 1 });
  let cpu0 = process.cpuUsage();
  let w0 = performance.now();
  // `stop` stops every EV at once; `stop MS` spreads the stops evenly over MS (cars leave one by one)
  let spreadMs = 0;
  await new Promise<void>((r) =>
    rl.on("line", (l) => {
      const press = /^estop (\d+)$/.exec(l.trim());
      if (press) {
        // the press on the process's monotonic clock (CLOCK_MONOTONIC: comparable between processes)
        presses.push([Number(press[1]), Number(process.hrtime.bigint()) / 1e6]);
        evs[Number(press[1]) - first]?.pressEmergencyStop();
      }
      if (l.trim() === "window-start") {
        delay.enable();
        cpu0 = process.cpuUsage();
        w0 = performance.now();
      }
      const m = /^stop(?:\s+(\d+))?$/.exec(l.trim());
      if (m) {
        spreadMs = Number(m[1] ?? 0);
        r();
      }
    }),
  );
  delay.disable();
  const cpu = process.cpuUsage(cpu0);
  const windowMs = performance.now() - w0;
  evs.forEach((e, k) => {
    const at = evs.length > 1 ? (spreadMs * k) / (evs.length - 1) : 0;
    if (at === 0) e.live.push({ kind: "stop" });
    else setTimeout(() => e.live.push({ kind: "stop" }), at);
  });
  // An EV whose session never started (or never ends) is reported as such after a bound.
  const bounded = (e: FleetEv) =>
    Promise.race([e.live.done, new Promise<null>((r) => setTimeout(() => r(null), END_LIMIT_MS).unref())]);
  const results = await Promise.all(evs.map(bounded));
  const unfinished = results.filter((d) => d === null).length;
  const done = results.filter((d) => d !== null);
  const rtt = done.flatMap((d) =>
    (d.samplesByMessage[loopResponse(spec.protocol)] ?? []).slice(FLEET_WARMUP),
  );
  const ends: Record<string, number> = {};
  for (const d of done) ends[d.stopReason ?? "none"] = (ends[d.stopReason ?? "none"] ?? 0) + 1;
  if (unfinished > 0) ends["no session end (not started, or stuck)"] = unfinished;
  emit({
    event: "done",
    presses,
    rtt,
    ended: done.map((d) => d.stopReason),
    ends,
    reachedLoop: done.filter((d) => (d.samplesByMessage[loopResponse(spec.protocol)]?.length ?? 0) > 0)
      .length,
    cpuPercent: Math.round((100 * (cpu.user + cpu.system)) / 1000 / windowMs),
    loopDelayP99Ms: lateMs(delay, 99, 1),
    loopDelayMaxMs: lateMs(delay, 100, 1),
  });
  // Unplug, so every EVSE sees state A and reports its session, and leave once told to.
  for (const e of evs) e.unplug();
  await new Promise<void>((r) => rl.on("line", (l) => l.trim() === "exit" && r()));
  for (const e of evs) await e.close();
  rl.close();
}

await main();
