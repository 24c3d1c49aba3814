/** Helpers for the board-port tests (not exported from the package). */
import { createVirtualClock, type VirtualClock } from "../../machine/index.js";
import type { BoardStream } from "./stream.js";

/** Let every queued microtask (in-memory stream deliveries and what they trigger) run. */
export function flush(): Promise<void> {
  return new Promise((r) => setImmediate(r));
}

/** The virtual clock with an async `advance`: fires due timers in order, flushing I/O between them. */
export function createFakeTimers(): VirtualClock & { advance(ms: number): Promise<void> } {
  const clock = createVirtualClock();
  return Object.assign(clock, {
    async advance(ms: number): Promise<void> {
      const target = clock.now() + ms;
      for (;;) {
        await flush();
        const t = clock.peekTime();
        if (t === undefined || t > target) break;
        clock.runNext();
      }
      clock.advanceTo(target);
      await flush();
    },
  });
}

/** Collect the lines written to a stream's peer (parsed JSON objects). */
export function collectLines(stream: BoardStream): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  let buf = "";
  const dec = new TextDecoder();
  stream.onData((c) => {
    buf += typeof c === "string" ? c : dec.decode(c);
    let nl = buf.indexOf("\n");
    while (nl >= 0) {
      out.push(JSON.parse(buf.slice(0, nl)) as Record<string, unknown>);
      buf = buf.slice(nl + 1);
      nl = buf.indexOf("\n");
    }
  });
  return out;
}

/** Resolve when `check()` is true (polled every 5 ms); reject after `timeoutMs`. */
export async function waitFor(check: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const t0 = Date.now();
  while (!check()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timeout after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
