/**
 * The EVCC tester's wire interceptor (`nacs conformance --sut evcc`): the test-only {@link V2gWireHook} of
 * the tester EVSE's live network port. It passes the SECC controller's responses through until the case's
 * trigger, then applies the case's deviation to the tester's outgoing response — the same
 * {@link deviate} as the SECC tester applies to its requests (change a field, another SessionID, another
 * response, repeat, silence, close, malformed V2GTP) — or delays it, or makes an operator input on the
 * tester's EVSE just before it. What goes on the wire is recorded on the trace; what the car sends is
 * recorded from the wire tap (runner.ts). Platform-neutral (timers through `setTimeout`).
 */
import type { V2gWireHook } from "../../link/host/network/index.js";
import type { V2gConnection } from "../../link/types.js";
import { deviate, matches, type Outgoing, putOnWire, type WireAction } from "../deviate.js";
import type { ConformanceProtocol, EvseTesterInput, TesterBehaviour, TraceEvent } from "../types.js";
import { decodeWire } from "../wire-codec.js";

/** Options of {@link createEvccInterceptor}. */
export interface EvccInterceptorOptions {
  protocol: ConformanceProtocol;
  behaviour: TesterBehaviour;
  /** ms since the case started. */
  now(): number;
  record(e: TraceEvent): void;
  /** The tester's own deviation could not be built (the case is inconclusive). */
  onTesterError?(message: string): void;
  /** Carry out an `evse-input` deviation on the tester's EVSE (synchronously, before the response goes out). */
  onEvseInput?(input: EvseTesterInput): void;
  /** Every V2GTP message the tester writes to `conn` (header included; a raw deviation as it is). */
  onWire?(conn: V2gConnection, bytes: Uint8Array): void;
}

/** The hook and what it knows of the case. */
export interface EvccInterceptor extends V2gWireHook {
  /** When the deviation was applied (ms since the case started), or null. */
  readonly deviationAtMs: number | null;
  /** The deviation happened off the V2G wire (an unanswered SDP request, the TLS handshake). */
  markDeviation(): void;
  /** Responses the SECC controller handed over, by name. */
  readonly sent: ReadonlyMap<string, number>;
  /** Close the connections the interceptor kept open, cancel delayed sends (case end). */
  release(): void;
}

/** Create the EVCC interceptor of one case. */
export function createEvccInterceptor(o: EvccInterceptorOptions): EvccInterceptor {
  const b = o.behaviour;
  const trigger = b.kind === "normal" ? null : b.at;
  const counts = new Map<string, number>();
  const earlier = new Map<string, Uint8Array>();
  /** What went on the wire for each response name, last (a `mutate-from` repeats it). */
  const earlierOut = new Map<string, { payloadType: number; bytes: Uint8Array }>();
  const kept = new Set<V2gConnection>();
  const dropped = new Set<V2gConnection>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let deviationAtMs: number | null = null;
  let silent = false;
  let released = false;

  const carryOut = (conn: V2gConnection, name: string, actions: WireAction[]) => {
    for (const a of actions) {
      putOnWire(conn, name, a, o);
      if (a.kind === "silent") silent = true;
      else if (a.kind === "close") {
        silent = true;
        dropped.add(conn);
        o.record({ kind: "close", tMs: o.now(), by: "tester" });
        conn.close(a.note);
      }
      // board actions, hidden answers and deferred requests are the EV tester's (runner.ts), not used here
    }
  };

  /** The actions for response `out` when it is (or, for `mutate-from`, follows) the trigger. */
  const actionsFor = (out: Outgoing, first: boolean): WireAction[] | null => {
    if (b.kind === "evse-input") {
      if (!first) return null;
      try {
        if (!o.onEvseInput) throw new Error("no EVSE to act on");
        o.onEvseInput(b.input);
        o.record({ kind: "evse-input", tMs: o.now(), input: b.input });
      } catch (e) {
        o.onTesterError?.(`${out.name}: EVSE input ${b.input}: ${(e as Error).message}`);
      }
      return [
        { kind: "send", payloadType: out.payloadType, bytes: out.bytes, note: b.input, deviation: true },
      ];
    }
    return deviate(b, o.protocol, out, earlier);
  };

  return {
    get deviationAtMs() {
      return deviationAtMs;
    },
    markDeviation() {
      deviationAtMs ??= o.now();
    },
    sent: counts,
    send(conn, m) {
      if (silent) return;
      const occurrence = (counts.get(m.name) ?? 0) + 1;
      counts.set(m.name, occurrence);
      const out: Outgoing = { name: m.name, payloadType: m.payloadType, bytes: m.bytes, occurrence };
      let actions: WireAction[] = [{ kind: "send", payloadType: m.payloadType, bytes: m.bytes }];
      const first = trigger !== null && deviationAtMs === null && matches(trigger, out);
      const again =
        b.kind === "mutate-from" &&
        deviationAtMs !== null &&
        m.name === b.at.message &&
        occurrence > (b.at.occurrence ?? 1);
      if (first || again) {
        try {
          actions = actionsFor(out, first) ?? actions;
          if (first) deviationAtMs = o.now();
        } catch (e) {
          o.onTesterError?.(`${m.name}: ${(e as Error).message}`);
        }
      }
      earlier.set(m.name, m.bytes);
      const sent = actions.find((a) => a.kind === "send");
      if (sent?.kind === "send") earlierOut.set(m.name, { payloadType: sent.payloadType, bytes: sent.bytes });
      if (first && b.kind === "delay") {
        o.record({ kind: "tx", tMs: o.now(), name: `(${m.name} held)`, bytes: 0, note: `${b.ms} ms late` });
        const t = setTimeout(() => {
          timers.delete(t);
          if (!released && !conn.isClosed) carryOut(conn, m.name, actions);
        }, b.ms);
        timers.add(t);
        return;
      }
      carryOut(conn, m.name, actions);
    },
    receive(conn, m) {
      // `mutate-from`: the tester itself answers the car's repeats of the request with the changed response
      // (e.g. Ongoing for ever), so the SECC controller's own sequence does not end the case
      if (b.kind !== "mutate-from" || deviationAtMs === null || released || conn.isClosed) return true;
      const last = earlierOut.get(b.at.message);
      if (!last) return true;
      let name: string;
      try {
        name = decodeWire(o.protocol, m.payload).name;
      } catch {
        return true;
      }
      if (name !== b.at.message.replace(/Res$/, "Req")) return true;
      const occurrence = (counts.get(b.at.message) ?? 0) + 1;
      counts.set(b.at.message, occurrence);
      carryOut(conn, b.at.message, [
        { kind: "send", payloadType: last.payloadType, bytes: last.bytes, note: "repeated by the tester" },
      ]);
      return false;
    },
    close(conn) {
      // a silent tester keeps the connection open: the car's timeouts are under test, not the SECC's
      if (!silent || released || conn.isClosed) return false;
      kept.add(conn);
      return true;
    },
    closed(conn) {
      // the connection the tester dropped: the SECC controller goes on as if it were still open (its output
      // stays as it was), so what is observed is the car's reaction to the loss
      return !dropped.has(conn);
    },
    release() {
      released = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const c of kept) c.close("case over");
      kept.clear();
    },
  };
}
