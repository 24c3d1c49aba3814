/**
 * SECC-side instruments of the load bench, in the SECC process: gives every session of the
 * {@link SeccServer} a charger slot and a {@link SessionSafety} supervisor, counts its CurrentDemand
 * requests so the SECC's own response-time samples can be cut to the measurement window, and listens for
 * emergency-stop presses (UDP datagrams from the panel process, see estop-panel.ts).
 */
import { createSocket, type Socket } from "node:dgram";
import { monitorEventLoopDelay } from "node:perf_hooks";
import type { SeccServer } from "../../src/link/host/secc-server.js";
import type { SeccSession } from "../../src/link/host/secc-session.js";
import type { SessionSummary } from "../../src/link/host/summary.js";
import { PRESS_BYTES } from "./config.js";
import { SessionSafety } from "./session-safety.js";

const LOOP_RES = "CurrentDemandRes";

interface Entry {
  /** Null once the session ended (so a finished session's socket and machine can be collected). */
  session: SeccSession | null;
  safety: SessionSafety | null;
  readonly slot: number;
  /** CurrentDemandReq answered so far. */
  loop: number;
  loopAtWindowStart: number;
  loopAtWindowEnd: number | null;
  startedBeforeWindowEnd: boolean;
  summary: SessionSummary | null;
  estopped: boolean;
}

/** Emergency-stop samples (ms). */
export interface EstopSamples {
  /** Press (panel, monotonic clock) → datagram handled in the SECC process: event-loop and kernel delay. */
  inputToHandled: number[];
  /** Supervisor handler start → power-stage off command (the supervisor's reaction). */
  detectToOff: number[];
  /** Press → off command. */
  inputToOff: number[];
  /** Presses for a slot with no session in the CurrentDemand loop (setting up, re-plugging): not tripped. */
  notInLoop: number;
  /** SECC remote ports (= EV local ports) of the sessions stopped. */
  ports: Set<number>;
}

/** The SECC-side probe. */
export class SeccProbe {
  private readonly entries = new Set<Entry>();
  private readonly slots: (Entry | undefined)[];
  private readonly free: number[];
  private window: "before" | "in" | "after" = "before";
  private sock: Socket | undefined;
  readonly estop: EstopSamples = {
    inputToHandled: [],
    detectToOff: [],
    inputToOff: [],
    notInLoop: 0,
    ports: new Set(),
  };
  readonly loopDelay = monitorEventLoopDelay({ resolution: 1 });
  sessionsStarted = 0;

  constructor(server: SeccServer, slots: number) {
    this.slots = new Array<Entry | undefined>(slots).fill(undefined);
    this.free = Array.from({ length: slots }, (_, i) => slots - 1 - i);
    server.onSession((session) => this.attach(session));
  }

  private attach(session: SeccSession): void {
    this.sessionsStarted++;
    const e: Entry = {
      session,
      safety: new SessionSafety(session),
      slot: this.free.pop() ?? -1,
      loop: 0,
      loopAtWindowStart: 0,
      loopAtWindowEnd: null,
      startedBeforeWindowEnd: this.window !== "after",
      summary: null,
      estopped: false,
    };
    this.entries.add(e);
    if (e.slot >= 0) this.slots[e.slot] = e;
    // runs after the host's own consumer: the request has been answered
    const safety = e.safety!;
    session.conn.onMessage(() => {
      safety.observe();
      if (session.state().last === "CurrentDemand") e.loop++;
    });
    void session.done.then((sum) => {
      e.summary = sum;
      e.session = null;
      e.safety = null;
      if (e.slot >= 0) {
        this.slots[e.slot] = undefined;
        this.free.push(e.slot);
      }
    });
  }

  /** Listen for emergency-stop presses on [::1]; resolves with the UDP port. */
  async listenEstop(): Promise<number> {
    const sock = createSocket("udp6");
    this.sock = sock;
    sock.on("message", (b) => this.onPress(b));
    await new Promise<void>((r) => sock.bind(0, "::1", r));
    return sock.address().port;
  }

  private onPress(b: Buffer): void {
    const handledNs = process.hrtime.bigint();
    if (b.length !== PRESS_BYTES || this.window !== "in") return;
    const e = this.slots[b.readUInt32LE(0)];
    const session = e?.session;
    const safety = e?.safety;
    const st = session?.state();
    if (
      !e ||
      !session ||
      !safety ||
      !st ||
      st.conn !== "session" ||
      st.powerDelivery !== "start" ||
      safety.tripped
    ) {
      this.estop.notInLoop++;
      return;
    }
    const t = safety.emergencyStop();
    if (!t) return;
    e.estopped = true;
    const inputMs = Number(handledNs - b.readBigUInt64LE(4)) / 1e6;
    this.estop.inputToHandled.push(inputMs);
    this.estop.detectToOff.push(t.offMs - t.detectedMs);
    this.estop.inputToOff.push(inputMs + (t.offMs - t.detectedMs));
    this.estop.ports.add(session.conn.remote.port);
  }

  /** Sessions now in the CurrentDemand loop. */
  inLoop(): number {
    let n = 0;
    for (const e of this.entries) {
      const st = e.session?.state();
      if (st && st.powerDelivery === "start" && st.last === "CurrentDemand") n++;
    }
    return n;
  }

  /** Start of the measurement window. */
  windowStart(): void {
    this.window = "in";
    for (const e of this.entries) e.loopAtWindowStart = e.loop;
    this.loopDelay.enable();
  }

  /** End of the measurement window. */
  windowEnd(): void {
    this.window = "after";
    this.loopDelay.disable();
    for (const e of this.entries) if (!e.summary) e.loopAtWindowEnd = e.loop;
  }

  /**
   * After every session ended: the SECC's received → written times of the CurrentDemandReq answered inside
   * the window, sessions that reached the loop, and how the sessions ended.
   */
  results(): {
    windowSamples: number[];
    sessionsReachedLoop: number;
    ends: Record<string, number>;
    unfinished: number;
  } {
    const windowSamples: number[] = [];
    const ends: Record<string, number> = {};
    let sessionsReachedLoop = 0;
    let unfinished = 0;
    for (const e of this.entries) {
      if (!e.summary) {
        unfinished++;
        continue;
      }
      const all = e.summary.samplesByMessage[LOOP_RES] ?? [];
      if (all.length > 0) sessionsReachedLoop++;
      const reason = e.summary.stopReason ?? e.summary.close.code;
      ends[reason] = (ends[reason] ?? 0) + 1;
      if (!e.startedBeforeWindowEnd) continue;
      const endIdx = e.loopAtWindowEnd ?? all.length;
      for (let k = e.loopAtWindowStart; k < endIdx && k < all.length; k++) windowSamples.push(all[k]!);
    }
    return { windowSamples, sessionsReachedLoop, ends, unfinished };
  }

  /** Stop listening for presses. */
  close(): void {
    this.sock?.close();
    this.sock = undefined;
  }
}
