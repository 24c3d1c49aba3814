/**
 * Emergency-stop "panel" of the load bench, a child process: after `start` on stdin it presses the
 * emergency-stop input of a random charger (slot 0…slots-1) at random moments (Poisson, `hz` per second
 * overall) by sending one UDP datagram to the SECC process on [::1] — the stand-in for a GPIO edge that wakes
 * the SECC's event loop. Each datagram carries the slot (u32 LE) and the CLOCK_MONOTONIC time of the press
 * (`process.hrtime.bigint()`, u64 LE, ns), which is the same clock in every process of the machine.
 * `stop` on stdin ends it with a `done` line giving the number of presses and, as a baseline for the
 * SECC's figures, how late this nearly idle process's own 10 ms timer ran meanwhile (scheduling delay
 * caused by the machine, not by the SECC's work).
 */
import { createSocket } from "node:dgram";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { createInterface } from "node:readline";
import { emit, lateMs, PRESS_BYTES } from "./config.js";

/** What the bench passes in NACS_LOAD_PANEL. */
export interface PanelConfig {
  port: number;
  slots: number;
  hz: number;
}

const cfg = JSON.parse(process.env.NACS_LOAD_PANEL ?? "null") as PanelConfig | null;
if (!cfg) throw new Error("estop-panel: NACS_LOAD_PANEL (JSON config) missing");
const c = cfg;
const sock = createSocket("udp6");
let timer: NodeJS.Timeout | undefined;
let pressed = 0;
let running = false;
const IDLE_RES_MS = 10;
const idleDelay = monitorEventLoopDelay({ resolution: IDLE_RES_MS });

function press(): void {
  if (!running) return;
  const b = Buffer.alloc(PRESS_BYTES);
  b.writeUInt32LE(Math.floor(Math.random() * c.slots), 0);
  b.writeBigUInt64LE(process.hrtime.bigint(), 4);
  sock.send(b, c.port, "::1");
  pressed++;
  schedule();
}

function schedule(): void {
  const gapMs = (-Math.log(1 - Math.random()) / c.hz) * 1000;
  timer = setTimeout(press, gapMs);
}

createInterface({ input: process.stdin }).on("line", (cmd) => {
  if (cmd === "start" && !running && c.hz > 0) {
    running = true;
    idleDelay.enable();
    schedule();
  } else if (cmd === "stop") {
    running = false;
    clearTimeout(timer);
    idleDelay.disable();
    emit({
      event: "done",
      pressed,
      idleDelayP50Ms: lateMs(idleDelay, 50, IDLE_RES_MS),
      idleDelayP99Ms: lateMs(idleDelay, 99, IDLE_RES_MS),
      idleDelayMaxMs: lateMs(idleDelay, 100, IDLE_RES_MS),
    });
    sock.close();
    process.stdout.write("", () => process.exit(0));
  }
});
emit({ event: "ready" });
