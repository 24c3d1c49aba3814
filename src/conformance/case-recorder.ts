/**
 * What a case records, for both runners (the SECC under test: runner.ts; the car: evcc/runner.ts): the
 * trace events taken from the host's wire tap — connection open and close, every message of the SUT
 * decoded with its ResponseCode and the time since the tester's last message, or the decoder's error — and
 * the capture of everything on the tester's sockets (the per-case pcapng), the tester's own sends included
 * as the interceptor put them on the wire.
 */
import { type HostWireTap, wallClockMs } from "../link/host/wire-tap.js";
import type { V2gConnection } from "../link/types.js";
import type { ConformanceProtocol, TraceEvent, WireRecord } from "./types.js";
import { decodeWire } from "./wire-codec.js";

/** The recorder of one case. */
export interface CaseRecorder {
  readonly events: TraceEvent[];
  readonly wire: WireRecord[];
  /** Add an event of the trace. */
  record(e: TraceEvent): void;
  /** ms since the case started. */
  now(): number;
  /** The host's wire tap: the trace events and the capture. */
  tap: HostWireTap;
  /** Into the capture only (a frame port the host does not tap, e.g. below a SLAC interceptor). */
  toWire: HostWireTap;
  /** The interceptor's `onWire`: a message the tester wrote to `conn`. */
  sent(conn: V2gConnection, message: Uint8Array): void;
}

/**
 * Create the recorder of a case on `protocol`. `skipSlac()`: SLAC frames the host taps are not captured
 * (the capture gets them from below the SLAC interceptor instead, as they went on the wire).
 */
export function createCaseRecorder(
  protocol: ConformanceProtocol,
  skipSlac: () => boolean = () => false,
): CaseRecorder {
  const t0 = performance.now();
  const wall0 = performance.timeOrigin + t0;
  const now = () => performance.now() - t0;
  const events: TraceEvent[] = [];
  const wire: WireRecord[] = [];
  const record = (e: TraceEvent) => events.push(e);
  const toWire: HostWireTap = (atMs, e) =>
    wire.push({ atMs, event: e.kind === "slac" ? { ...e, frame: e.frame.slice() } : e });
  const rxCount = new Map<string, number>();
  const tap: HostWireTap = (atMs, e) => {
    if (e.kind !== "slac" || !skipSlac()) toWire(atMs, e);
    const tMs = atMs - wall0;
    if (e.kind === "tcp-open") record({ kind: "open", tMs });
    else if (e.kind === "tcp-close") {
      // the tester's own close is on the trace already
      if (!events.some((x) => x.kind === "close" && x.by === "tester"))
        record({ kind: "close", tMs, by: e.by });
    } else if (e.kind === "v2gtp" && e.dir === "rx") {
      const n = rxCount.get(e.conn) ?? 0;
      rxCount.set(e.conn, n + 1);
      const lastTx = [...events].reverse().find((x) => x.kind === "tx" && x.bytes > 0);
      const afterMs = lastTx ? Math.round((tMs - lastTx.tMs) * 10) / 10 : null;
      try {
        const payloadType = ((e.message[2] ?? 0) << 8) | (e.message[3] ?? 0);
        const w = decodeWire(protocol, e.message.subarray(8), n === 0, payloadType);
        const code = w.body.ResponseCode;
        record({
          kind: "rx",
          tMs,
          name: w.name,
          ...(typeof code === "string" && { code }),
          body: w.body,
          afterMs,
        });
      } catch (err) {
        record({ kind: "rx-bad", tMs, error: (err as Error).message });
      }
    }
  };
  return {
    events,
    wire,
    record,
    now,
    tap,
    toWire,
    sent: (conn, message) =>
      wire.push({
        atMs: wallClockMs(),
        event: { kind: "v2gtp", conn: conn.id, dir: "tx", message, local: conn.local, remote: conn.remote },
      }),
  };
}
