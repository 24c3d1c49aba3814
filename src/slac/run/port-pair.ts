/**
 * Two in-memory {@link FramePort}s joined like the two ends of a veth (for tests): a frame sent on
 * one end arrives at the other end asynchronously (a microtask, or `latencyMs` through the timers) as a
 * copy; no MAC filtering (a veth delivers unicast to other MACs too; the state machines filter). `drop`
 * may discard frames, for loss tests.
 */
import { type Clock, realClock } from "../../machine/index.js";
import type { FramePort } from "./types.js";

/** The pair and its counters. */
export interface PortPair {
  a: FramePort;
  b: FramePort;
  /** Frames carried a→b and b→a. */
  sent: { a: Uint8Array[]; b: Uint8Array[] };
}

/** Make a pair; `latencyMs` 0 (default) delivers in a microtask. */
export function createPortPair(o: {
  macA: Uint8Array;
  macB: Uint8Array;
  latencyMs?: number;
  timers?: Clock;
  drop?: (frame: Uint8Array, from: "a" | "b") => boolean;
}): PortPair {
  const timers = o.timers ?? realClock;
  const handlers = { a: new Set<(f: Uint8Array) => void>(), b: new Set<(f: Uint8Array) => void>() };
  const sent = { a: [] as Uint8Array[], b: [] as Uint8Array[] };
  const make = (self: "a" | "b", mac: Uint8Array): FramePort => {
    const other = self === "a" ? "b" : "a";
    return {
      mac: Uint8Array.from(mac),
      send(frame) {
        const copy = Uint8Array.from(frame);
        sent[self].push(copy);
        if (o.drop?.(copy, self)) return;
        const deliver = () => {
          for (const h of handlers[other]) h(Uint8Array.from(copy));
        };
        if ((o.latencyMs ?? 0) > 0) timers.setTimeout(deliver, o.latencyMs ?? 0);
        else queueMicrotask(deliver);
      },
      onFrame(h) {
        handlers[self].add(h);
        return () => {
          handlers[self].delete(h);
        };
      },
    };
  };
  return { a: make("a", o.macA), b: make("b", o.macB), sent };
}
