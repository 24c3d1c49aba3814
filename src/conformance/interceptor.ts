/**
 * The conformance tester's wire interceptor: the test-only {@link V2gWireHook} of the EV's live network
 * port. It passes the EV controller's requests through until the case's trigger, then applies the case's
 * deviation ({@link deviate}), and records on the trace what went on the wire. What the SUT sends back is
 * recorded from the wire tap (runner.ts). Platform-neutral (it sees connections through their interface).
 */
import type { V2gWireHook } from "../link/host/network/index.js";
import type { V2gConnection } from "../link/types.js";
import { deviate, matches, type Outgoing, putOnWire, triggerOf, type WireAction } from "./deviate.js";
import type { BoardAction, ConformanceProtocol, TesterBehaviour, TraceEvent } from "./types.js";

/** Options of {@link createInterceptor}. */
export interface InterceptorOptions {
  protocol: ConformanceProtocol;
  behaviour: TesterBehaviour;
  /** ms since the case started. */
  now(): number;
  record(e: TraceEvent): void;
  /** After the deviation the tester sends nothing more and keeps the connection open (the SUT must close). */
  silentAfterDeviation?: boolean;
  /** The tester's own deviation could not be built (the case is inconclusive). */
  onTesterError?(message: string): void;
  /**
   * Carry out a board action of the deviation (synchronously, before the request goes out). Absent: the
   * tester has no board to act on (the case is inconclusive).
   */
  onBoardAction?(action: BoardAction): void;
  /**
   * Every V2GTP message the tester writes to `conn` (header included; a raw deviation's bytes as they are):
   * the per-case capture. The network port does not tap the sends of a hooked connection.
   */
  onWire?(conn: V2gConnection, bytes: Uint8Array): void;
}

/** The hook and what it knows of the case. */
export interface Interceptor extends V2gWireHook {
  /** When the deviation was applied (ms since the case started), or null. */
  readonly deviationAtMs: number | null;
  /** Requests the controller handed over, by name (how far the session got). */
  readonly sent: ReadonlyMap<string, number>;
  /** The interceptor keeps a connection open that the controller has closed. */
  readonly holding: boolean;
  /** Close the connections the interceptor kept open (case end). */
  release(): void;
}

/** Create the interceptor of one case. */
export function createInterceptor(o: InterceptorOptions): Interceptor {
  const trigger = triggerOf(o.behaviour);
  const counts = new Map<string, number>();
  const earlier = new Map<string, Uint8Array>();
  const kept = new Set<V2gConnection>();
  const dropped = new Set<V2gConnection>();
  let deviationAtMs: number | null = null;
  let silent = false;
  let released = false;
  let hideNext = false;
  // V2G is request/response: the n-th message received answers the n-th request sent
  let requests = 0;
  let answers = 0;
  const hidden = new Set<number>();
  let deferred: { name: string; payloadType: number; bytes: Uint8Array } | null = null;
  let awaitingDeferred = false;

  const carryOut = (conn: V2gConnection, name: string, actions: WireAction[]) => {
    for (const a of actions) {
      putOnWire(conn, name, a, o);
      if (a.kind === "send") {
        requests++;
        if (hideNext) {
          hidden.add(requests);
          hideNext = false;
        }
      } else if (a.kind === "silent") silent = true;
      else if (a.kind === "raw") continue;
      else if (a.kind === "close") {
        silent = true;
        dropped.add(conn);
        o.record({ kind: "close", tMs: o.now(), by: "tester" });
        conn.close(a.note);
      } else if (a.kind === "board") {
        if (!o.onBoardAction) o.onTesterError?.(`${name}: no board port for ${a.action}`);
        else
          try {
            o.onBoardAction(a.action);
            o.record({ kind: "board", tMs: o.now(), action: a.action, note: a.note });
          } catch (e) {
            o.onTesterError?.(`${name}: board action ${a.action}: ${(e as Error).message}`);
          }
      } else if (a.kind === "hide-response") hideNext = true;
      else {
        deferred = { name, payloadType: a.payloadType, bytes: a.bytes };
        awaitingDeferred = true;
      }
    }
  };

  return {
    get deviationAtMs() {
      return deviationAtMs;
    },
    sent: counts,
    get holding() {
      return [...kept].some((c) => !c.isClosed);
    },
    send(conn, m) {
      if (silent) return;
      const occurrence = (counts.get(m.name) ?? 0) + 1;
      counts.set(m.name, occurrence);
      const out: Outgoing = { name: m.name, payloadType: m.payloadType, bytes: m.bytes, occurrence };
      let actions: WireAction[] = [{ kind: "send", payloadType: m.payloadType, bytes: m.bytes }];
      if (trigger && deviationAtMs === null && matches(trigger, out)) {
        try {
          actions = deviate(o.behaviour, o.protocol, out, earlier);
          deviationAtMs = o.now();
        } catch (e) {
          o.onTesterError?.(`${m.name}: ${(e as Error).message}`);
        }
      }
      earlier.set(m.name, m.bytes);
      carryOut(conn, m.name, actions);
      if (deviationAtMs !== null && o.silentAfterDeviation) {
        silent = true;
        deferred = null;
      }
    },
    receive(conn, _m) {
      answers++;
      if (hidden.delete(answers)) {
        if (awaitingDeferred && deferred) {
          const d = deferred;
          deferred = null;
          awaitingDeferred = false;
          if (!conn.isClosed) {
            requests++;
            putOnWire(conn, d.name, { kind: "send", payloadType: d.payloadType, bytes: d.bytes }, o);
          }
        }
        return false;
      }
      return true;
    },
    close(conn) {
      // a silent tester keeps the connection open: the SUT's timeouts are under test, not the EV's
      if (!silent || released || conn.isClosed) return false;
      kept.add(conn);
      return true;
    },
    closed(conn) {
      // the connection the tester dropped: the EV controller goes on as if it were still waiting for its
      // response (contactors closed), so what is observed is the SUT's reaction to the loss, not the EV's
      return !dropped.has(conn);
    },
    release() {
      released = true; // from now on the controller's closes go through (the case is over)
      for (const c of kept) c.close("case over");
      kept.clear();
    },
  };
}
