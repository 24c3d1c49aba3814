/**
 * The EV on a live host (`nacs ev`): the EV DC controller on the machine driver with a board port (the
 * simulated world, or a real board) and the live network ports. Inlet lock, S2, the AC/DC decision, the
 * contactor and unlock rules are the controller's, exactly as in the simulator. One session: from plug-in
 * until the controller has ended it and the inlet is unlocked (or the cable is gone; or, the board lost,
 * once the V2G session has ended). The next plug-in (PP latched again after an unplug) starts the next
 * session, reported through `onSession` as well (`nacs ev --sessions N`); `done` is the first one.
 */
import type { EvDcConfig, EvDcEvent, EvDcPhase, EvDcState } from "../../ev/dc/index.js";
import { EV_STOP_MIN_SOC, initialEvDc } from "../../ev/dc/index.js";
import { type Clock, clockFrom, type MachineDriver, realClock } from "../../machine/index.js";
import type { DcSessionPhase } from "../../v2g/index.js";
import type { LinkLogger } from "../logger.js";
import type { EvBoardPort } from "./board-port.js";
import { createEvHost } from "./controllers.js";
import { type LiveProgress, LiveSession, type LiveSessionSummary, recordOn } from "./live-session.js";
import { type EvNetwork, type EvNetworkOptions, startEvNetwork } from "./network/index.js";
import type { RecordEvent } from "./record.js";

/** An EV event without its time (the host stamps it). */
export type EvInput = EvDcEvent extends infer E ? (E extends unknown ? Omit<E, "tMs"> : never) : never;

/**
 * Stop reason when the V2G session ended normally (SessionStop) without the EV asking: the EVSE stopped
 * charging (EVSENotification StopCharging or an EVSE shutdown status code).
 */
export const EV_STOP_EVSE_ENDED = "EVSE ended the session";

/**
 * The stop reasons of a session that ended the way it should (`nacs ev` exits 0): the EV reached its
 * target (or, giving energy back, its minimum SOC), the driver stopped, or the EVSE stopped charging in an orderly way. Anything else — the
 * charger's emergency shutdown (the connection dropped, the pilot at F), a lost board, a welded contactor,
 * a failed pre-charge, an unplug mid-session — is an abnormal end. The first two are the EV controller's
 * own words (src/ev/dc/controller.ts).
 */
export const EV_NORMAL_STOP_REASONS: readonly string[] = Object.freeze([
  "target SOC reached",
  EV_STOP_MIN_SOC,
  "stopped by the driver",
  EV_STOP_EVSE_ENDED,
]);

/**
 * After losing its board the EV ends its V2G session in order (PowerDelivery Stop, or the EVSE closing
 * the connection) and reports once it has ended, or after this long (ms). It does not drop the connection
 * at once: that would stop the EVSE for a dropped connection before it has seen its own board loss when
 * both boards are one (a board simulator serving both sides). Design choice.
 */
export const LIVE_EV_BOARD_LOST_END_MS = 3_000;

/** Options of {@link startLiveEv}. */
export interface LiveEvOptions {
  config: EvDcConfig;
  /** State of charge and terminal voltage at start (the BMS reports the real ones once the board runs). */
  socPercent: number;
  batteryVoltageV: number;
  board: EvBoardPort;
  network: Omit<EvNetworkOptions, "push" | "now">;
  clock?: Clock;
  hostClock?: () => number;
  /** The simulated board's energy time scale, so the inlet energy matches the EVSE meter (default 1). */
  energyTimeScale?: number;
  onRecord?(e: RecordEvent): void;
  /** The controller entered `phase` (called after the step that made it: pushing an input is safe). */
  onPhase?(phase: EvDcPhase): void;
  /** The session entered `phase` (cable-check, pre-charge, charging, stopping; after the step, too). */
  onSessionPhase?(phase: DcSessionPhase): void;
  /** Every session's report as it ends (the first one also resolves `done`). */
  onSession?(s: LiveSessionSummary): void;
  /** Every response's round trip (request written → response received, ms), as the session counts it. */
  onResponseTime?(name: string, ms: number): void;
  /**
   * false: the session reports leave `responseTimesMs` empty and `samplesByMessage` without samples
   * (`onResponseTime` still gets every one). For a fleet that keeps its own. Default true.
   */
  sessionResponseTimes?: boolean;
  logger?: LinkLogger;
}

/** A running live EV. */
export interface LiveEv {
  readonly host: MachineDriver<EvDcState, EvDcEvent>;
  readonly network: EvNetwork;
  /** Resolves with the session's report once the session is over and the inlet unlocked. */
  readonly done: Promise<LiveSessionSummary>;
  /** Driver input (stop, pause, resume, set-target-soc, …), stamped now (`receivedAtMs` is not used). */
  push(ev: EvInput, receivedAtMs?: number): void;
  now(): number;
  /** How the session stands (phase, inlet V/A, energy into the inlet, battery SOC); null before plug-in. */
  progress(): LiveProgress | null;
  close(): Promise<void>;
}

/** Start the live EV. */
export async function startLiveEv(o: LiveEvOptions): Promise<LiveEv> {
  const clock = clockFrom(o.clock ?? realClock);
  const now = () => clock.now();
  const hostNow = o.hostClock ?? now;
  const recordEvent = recordOn(now, 0, o.onRecord, "ev");
  const record: typeof recordEvent = (type, fields) => {
    recordEvent(type, fields);
    const phase = fields?.phase as DcSessionPhase | undefined;
    if (type === "phase" && phase && o.onSessionPhase) queueMicrotask(() => o.onSessionPhase?.(phase));
  };
  // `msg` records only when someone listens to the records
  const newSession = () =>
    new LiveSession(
      "evcc",
      hostNow,
      record,
      o.config.energy,
      o.onRecord !== undefined,
      o.sessionResponseTimes !== false,
    );
  let session = newSession();
  let host: MachineDriver<EvDcState, EvDcEvent> | null = null;
  let sentAt: { name: string; at: number } | null = null;
  let inlet = { voltageV: 0, currentA: 0, atMs: now() };
  let resolve!: (s: LiveSessionSummary) => void;
  const done = new Promise<LiveSessionSummary>((r) => {
    resolve = r;
  });
  let over = false;
  let boardLost = false;

  const push = (ev: EvDcEvent) => {
    if (!host) return;
    let answered: string | null = null;
    if (ev.kind === "v2g-message" && sentAt) {
      answered = sentAt.name.replace(/Req$/, "Res");
      session.message(answered, "rx", ev);
      const ms = hostNow() - sentAt.at;
      session.responseTime(answered, ms);
      o.onResponseTime?.(answered, ms);
      sentAt = null;
    }
    host.push(ev);
    if (answered === "SessionSetupRes" || answered === "ServiceSelectionRes") noteSetup(answered);
    checkOver();
  };
  /** What the EVCC made of a SessionSetupRes (joined the paused session?) or a -20 ServiceSelectionRes. */
  const noteSetup = (name: string) => {
    const e = host?.state().evcc;
    if (!e || e.conn !== "session") return;
    if (name === "SessionSetupRes") session.sessionSetup(e.resumed);
    if (e.protocol === "iso20")
      session.noteIso20(e.iso20?.serviceId, e.iso20?.controlMode, e.iso20?.auth ?? "EIM");
  };
  const network = await startEvNetwork({ ...o.network, push, now });
  const finish = () => {
    if (over) return;
    over = true;
    const s = host?.state();
    session.protocol = s?.evcc.protocol ?? null;
    // The controller names every stop of its own and every abnormal end; a V2G session that ended
    // without one was ended by the EVSE in an orderly way.
    if (s) {
      const reason = s.stopReason ?? (s.evcc.conn === "ended" ? EV_STOP_EVSE_ENDED : "unplugged");
      session.end(reason, s.stopReason ?? "");
    }
    const summary = session.summary(o.board.name, network.transport);
    record("summary", { summary });
    resolve(summary);
    o.onSession?.(summary);
  };
  /** A plug-in after a reported session: the next session starts (the controller starts afresh on PP). */
  const nextSession = () => {
    if (!over || boardLost) return;
    over = false;
    sentAt = null;
    session = newSession();
  };
  const checkOver = () => {
    const s = host?.state();
    if (!s || over) return;
    // Without the board the inlet can be neither unlocked nor seen unlocked: the V2G session's end is all.
    if (boardLost && s.evcc.conn !== "sap" && s.evcc.conn !== "session") return finish();
    const ended = s.phase === "ended" || (s.phase === "unplugged" && session.phases.length > 0);
    if (ended && !s.lockCmd && !s.lockFeedback) finish();
  };
  host = createEvHost({
    state: initialEvDc(o.config, o.socPercent, o.batteryVoltageV, now()),
    clock,
    // message timeouts and the charge-loop watchdog are re-armed with every request
    lazyTimers: true,
    ports: {
      board(c) {
        if (c.kind === "lock" && !c.locked)
          session.unlock = { atMs: Math.round(now() - session.startMs), inletVoltageV: inlet.voltageV };
        o.board.command(c);
        if (c.kind === "s2") record("s2", { closed: c.closed });
        else if (c.kind === "contactors") record("contactor", { side: "ev", closed: c.closed });
        else if (c.kind === "charger")
          record("log", { side: "ev", level: "info", msg: `on-board charger ${c.currentA} A` });
        else record("lock", { locked: c.locked, v: Math.round(inlet.voltageV * 10) / 10 });
      },
      network: (e) => network.perform(e),
      observe(f) {
        if (f.kind === "v2g-send") {
          session.message(f.name, "tx", f);
          sentAt = { name: f.name, at: hostNow() };
        } else if (f.kind === "stop") {
          session.end(f.reason, f.fault ? "safety" : "");
          record("stop", { reason: f.reason });
        } else if (f.kind === "v2g-connect") session.v2gConnections = (session.v2gConnections ?? 0) + 1;
        else if (f.kind === "phase") {
          if (f.phase === "plugged") nextSession();
          record("log", { level: "info", msg: `EV phase ${f.phase}` });
          const phase = f.phase;
          if (o.onPhase) queueMicrotask(() => o.onPhase?.(phase));
        } else if (f.kind === "log") o.logger?.[f.level]({}, `ev: ${f.msg}`);
      },
    },
  });
  o.board.attach(
    (r) => {
      if (r.kind === "bms") {
        if (host?.state().phase !== "unplugged") session.socStartPercent ??= r.socPercent;
        session.socEndPercent = r.socPercent;
      } else if (r.kind === "inlet") {
        const t = now();
        session.energyStartWh ??= 0;
        const scale = o.energyTimeScale ?? 1;
        session.energyWh += (inlet.voltageV * inlet.currentA * (t - inlet.atMs) * scale) / 3_600_000;
        inlet = { voltageV: r.voltageV, currentA: r.currentA, atMs: t };
      }
      push({ ...r, tMs: now() } as EvDcEvent);
    },
    (detail) => {
      if (boardLost) return;
      boardLost = true;
      o.logger?.error({ detail }, `ev: board lost: ${detail}`);
      clock.setTimeout(finish, LIVE_EV_BOARD_LOST_END_MS);
      push({ kind: "board-lost", detail, tMs: now() });
    },
  );
  return {
    host,
    network,
    done,
    now,
    progress() {
      if (host?.state().phase === "unplugged" && session.phases.length === 0) return null;
      return session.progress(inlet.voltageV, inlet.currentA, session.socEndPercent ?? null);
    },
    push: (ev) => push({ ...ev, tMs: now() } as EvDcEvent),
    async close() {
      finish();
      host?.stop();
      await network.close();
      await o.board.close();
    },
  };
}
