/**
 * The EVSE on a live host (`nacs evse`): the EVSE DC controller on the machine driver with a board port
 * (the simulated world, or a real board over the board protocol) and the live network ports (SLAC frames,
 * SDP datagrams, V2G over TCP/TLS). Everything J3400 asks of the charger — pilot, PP, safety supervisor,
 * interlock, isolation check, charge-loop watchdog — is the controller's, exactly as in the simulator.
 * Sessions are reported one by one when they end (the EV unplugged, or ended and de-energised, or the
 * board lost: with no board nothing more can be measured or switched, so the session is reported at once).
 */
import type { EvseDcConfig, EvseDcEvent, EvseDcState } from "../../evse/dc/index.js";
import { evseLive, initialEvseDc } from "../../evse/dc/index.js";
import { type Clock, clockFrom, type MachineDriver, realClock } from "../../machine/index.js";
import { DEFECT_SLOW_CHARGE_LOOP_MS, DEFECT_SLOW_RESPONSE_MS } from "../../v2g/session/defects.js";
import type { LinkLogger } from "../logger.js";
import type { EvseBoardPort } from "./board-port.js";
import { createEvseHost } from "./controllers.js";
import { type LiveProgress, LiveSession, type LiveSessionSummary, recordOn } from "./live-session.js";
import {
  copyConnectionTally,
  type EvseNetwork,
  type EvseNetworkOptions,
  startEvseNetwork,
} from "./network/index.js";
import type { RecordEvent } from "./record.js";

/** An EVSE event without its time (the host stamps it). */
export type EvseInput = EvseDcEvent extends infer E ? (E extends unknown ? Omit<E, "tMs"> : never) : never;

/**
 * A session that ended with nothing energised but the EV still plugged is reported after this long (ms);
 * an unplug reports it at once. Design choice.
 */
export const LIVE_SESSION_SETTLE_MS = 5_000;

/** Options of {@link startLiveEvse}. */
export interface LiveEvseOptions {
  /** The controller configuration for the address and port the V2G server listens on. */
  config(sdp: { address: Uint8Array; port: number; tls: boolean }): EvseDcConfig;
  board: EvseBoardPort;
  network: Omit<EvseNetworkOptions, "push" | "now">;
  /** Default: the wall clock. */
  clock?: Clock;
  /** Host clock for response times and safety figures (default: `clock`). */
  hostClock?: () => number;
  /** Every record event (`--events`). */
  onRecord?(e: RecordEvent): void;
  onSession?(s: LiveSessionSummary): void;
  /** Every response time (request received → response written, host clock ms) as it is measured. */
  onResponseTime?(name: string, ms: number): void;
  /**
   * false: the session reports leave `responseTimesMs` empty and `samplesByMessage` without samples
   * (`onResponseTime` still gets every one). For a fleet that keeps its own. Default true.
   */
  sessionResponseTimes?: boolean;
  /**
   * The board was lost (after the trip and the session report): this host cannot serve another session on
   * it. The board itself switches its outputs off when it loses the host (docs/board-protocol.md).
   */
  onBoardLost?(detail: string): void;
  logger?: LinkLogger;
}

/** A running live EVSE. */
export interface LiveEvse {
  readonly host: MachineDriver<EvseDcState, EvseDcEvent>;
  readonly network: EvseNetwork;
  /**
   * Operator input (emergency stop, stop charging, safety reset, …), stamped now. `receivedAtMs` (on
   * {@link LiveEvse.now}): when the input arrived (a stdin line), so a trip it causes reports input →
   * output-off as well as detection → output-off.
   */
  push(ev: EvseInput, receivedAtMs?: number): void;
  /** Milliseconds since the host started. */
  now(): number;
  /**
   * How the session in progress stands (phase, output V/A, meter energy, the EV's SOC once a DC_EVStatus
   * carried it); null between sessions.
   */
  progress(): LiveProgress | null;
  close(): Promise<void>;
}

/** Start the live EVSE: network first (its address goes into SDP), then the controller on the board. */
export async function startLiveEvse(o: LiveEvseOptions): Promise<LiveEvse> {
  const clock = clockFrom(o.clock ?? realClock);
  const now = () => clock.now();
  const hostNow = o.hostClock ?? now;
  // Between a trip and its output-off command (the next effect) the host does nothing but take the time:
  // the trip is booked (LiveSession.trip, its record) once the command is out, and record and log writes
  // (file and stderr I/O) go out in a microtask after the effects of the event being stepped. Each record
  // keeps the time it was made; the order of records and logs is kept.
  const pending: (() => void)[] = [];
  const flush = () => {
    for (const write of pending.splice(0)) write();
  };
  const later = (write: () => void) => {
    if (pending.push(write) === 1) queueMicrotask(flush);
  };
  const sink = o.onRecord;
  const record = recordOn(now, 0, sink && ((e) => later(() => sink(e))), "evse");
  const log = o.logger;
  let session: LiveSession | null = null;
  let settle: unknown = null;
  let lastCurrentA = 0;
  let host: MachineDriver<EvseDcState, EvseDcEvent> | null = null;
  let rxAt: number | null = null;
  /** The request being answered (its bytes go into the record with the response's). */
  let rxWire: { payloadType: number; bytes: Uint8Array } | null = null;
  /** While an operator input is being stepped: when it arrived (host clock). */
  let inputAt: number | null = null;
  let boardLost = false;
  /** SessionID (hex) handed out by the last SessionSetupRes of this session (ISO-2 resume check). */
  let setupId: string | null = null;
  /** A trip seen (detection time taken) and not yet booked into the session. */
  let tripSeen: {
    fault: string;
    reason: string;
    detail: string;
    atMs: number;
    inputAtMs: number | null;
  } | null = null;
  const bookTrip = () => {
    const t = tripSeen;
    if (!t) return;
    tripSeen = null;
    session ??= newSession();
    session.trip(t.fault, t.reason, t.detail, t.inputAtMs, t.atMs);
    later(() => log?.error({ fault: t.fault, detail: t.detail }, `evse: trip: ${t.reason}`));
  };

  const push = (ev: EvseDcEvent) => {
    if (!host) return;
    if (ev.kind !== "v2g-message") return host.push(ev);
    rxAt = hostNow();
    rxWire = ev;
    host.push(ev);
    rxAt = null;
    rxWire = null;
  };
  // A V2G connection reaches the controller only once it sent a supportedAppProtocolReq, and only while
  // the controller expects an EV: waiting for one (SDP), or in a session with nothing energised (the EV
  // reconnected). Never with a trip standing or while energy is being transferred.
  const ready = () => {
    const s = host?.state();
    return !!s && !s.safety.trip && (s.phase === "sdp" || (s.phase === "session" && !evseLive(s)));
  };
  const network = await startEvseNetwork({
    ...o.network,
    v2g: { ...o.network.v2g, admission: { ready } },
    push,
    now,
  });
  const mode = (): "dc" | "ac" => (cfg.pins === "ac" ? "ac" : "dc");
  // `msg` records only when someone listens to the records
  const newSession = () =>
    new LiveSession("secc", hostNow, record, mode(), sink !== undefined, o.sessionResponseTimes !== false);
  const cfg = o.config({
    address: network.sdpAddress,
    port: network.v2gPort,
    tls: network.transport === "tls",
  });
  const finish = () => {
    bookTrip();
    if (!session) return;
    const s = session;
    session = null;
    setupId = null;
    if (settle !== null) clock.clearTimeout(settle);
    settle = null;
    const summary = s.summary(o.board.name, network.transport);
    summary.connections = copyConnectionTally(network.connections);
    record("summary", { summary });
    o.onSession?.(summary);
  };
  /**
   * A SessionSetupRes: joined the paused session (OK_OldSessionJoined) when -20 says so, or (ISO-2) when it
   * handed back the SessionID of this session's earlier SessionSetup; a -20 ServiceSelectionRes: the service.
   */
  const noteSetup = (name: string) => {
    const sc = host?.state().secc;
    if (!sc || !session) return;
    if (name === "SessionSetupRes") {
      const id = sc.sessionId
        ? Array.from(sc.sessionId, (b) => b.toString(16).padStart(2, "0")).join("")
        : "";
      session.sessionSetup(sc.iso20?.resumed ?? (setupId !== null && id === setupId));
      setupId = id;
    }
    if (sc.protocol === "iso20")
      session.noteIso20(sc.iso20?.serviceId, sc.iso20?.controlMode, sc.iso20?.authService);
  };
  host = createEvseHost({
    state: initialEvseDc(cfg, now()),
    clock,
    // message timeouts and the charge-loop watchdog are re-armed with every request
    lazyTimers: true,
    ports: {
      board(c) {
        // The output-off command: the power module's emergency off, or with AC pins the relay opened after
        // a trip (the relay is the output).
        const emergencyOff =
          (c.kind === "module" && c.op === "off" && c.emergency) ||
          (cfg.pins === "ac" && c.kind === "contactors" && !c.closed && host?.state().safety.trip != null);
        if (!emergencyOff) bookTrip();
        o.board.command(c);
        if (emergencyOff) {
          // The output-off time: the command has been handed to the board (written to its stream, or
          // applied to the in-process world).
          const offAt = hostNow();
          bookTrip();
          session?.outputOff(offAt);
        }
        if (c.kind === "contactors" && !c.closed) session?.contactorsOpen(lastCurrentA);
        if (c.kind === "duty") record("duty", { duty: c.duty });
        else if (c.kind === "contactors") record("contactor", { side: "evse", closed: c.closed });
      },
      network: (e) => {
        // TEST-ONLY defects slow-current-demand / iso20-slow-charge-loop (v2g/session/defects.ts): the
        // CurrentDemandRes / DC_ChargeLoopRes sent late
        if (
          cfg.secc.defect === "slow-current-demand" &&
          e.kind === "v2g-send" &&
          e.name === "CurrentDemandRes"
        )
          clock.setTimeout(() => network.perform(e), DEFECT_SLOW_RESPONSE_MS);
        else if (
          cfg.secc.defect === "iso20-slow-charge-loop" &&
          e.kind === "v2g-send" &&
          e.name === "DC_ChargeLoopRes"
        )
          clock.setTimeout(() => network.perform(e), DEFECT_SLOW_CHARGE_LOOP_MS);
        else network.perform(e);
      },
      observe(f) {
        if (f.kind !== "trip") bookTrip();
        switch (f.kind) {
          case "phase":
            record("log", { level: "info", msg: `EVSE phase ${f.phase}` });
            if (f.phase === "slac" || (f.phase === "sdp" && !session)) session ??= newSession();
            if (f.phase === "idle") finish();
            if (f.phase === "ended" && settle === null)
              settle = clock.setTimeout(function check() {
                if (host && !evseLive(host.state())) finish();
                else settle = clock.setTimeout(check, LIVE_SESSION_SETTLE_MS);
              }, LIVE_SESSION_SETTLE_MS);
            break;
          case "v2g-send":
            if (session) {
              session.protocol = host?.state().secc.protocol ?? session.protocol;
              session.message(f.name.replace(/Res$/, "Req"), "rx", rxWire ?? undefined);
              session.message(f.name, "tx", f);
              if (rxAt !== null) {
                const ms = hostNow() - rxAt;
                session.responseTime(f.name, ms);
                o.onResponseTime?.(f.name, ms);
              }
              if (f.name === "SessionSetupRes" || f.name === "ServiceSelectionRes") noteSetup(f.name);
            }
            break;
          case "trip": {
            const atMs = hostNow();
            bookTrip(); // an earlier one, if any
            session ??= newSession();
            tripSeen = { fault: f.fault, reason: f.reason, detail: f.detail, atMs, inputAtMs: inputAt };
            queueMicrotask(bookTrip); // booked by now in any case
            break;
          }
          case "session-end":
            session?.end(f.reason, f.detail);
            record("stop", { reason: f.reason, detail: f.detail });
            break;
          case "log":
            later(() => log?.[f.level]({}, `evse: ${f.msg}`));
            break;
          default:
            break;
        }
      },
    },
  });
  o.board.attach(
    (r) => {
      if (r.kind === "measure") {
        if (r.m.currentA !== undefined) lastCurrentA = r.m.currentA;
        if (session && r.m.energyWh !== undefined) {
          session.energyStartWh ??= r.m.energyWh;
          session.energyWh = r.m.energyWh;
        }
      } else if (r.kind === "cp") record("cp", { state: r.state });
      push({ ...r, tMs: now() } as EvseDcEvent);
    },
    (detail) => {
      if (boardLost) return;
      boardLost = true;
      o.logger?.error({ detail }, `evse: board lost: ${detail}`);
      push({ kind: "board-lost", detail, tMs: now() });
      // Without the board the contactors can never be seen open nor the EV leave: report now.
      finish();
      o.onBoardLost?.(detail);
    },
  );
  return {
    host,
    network,
    now,
    progress() {
      const s = host?.state();
      if (!session || !s) return null;
      // DC_EVStatus (with EVRESSSOC) comes with every DC request from CableCheck on; AC carries no SOC.
      const soc = mode() === "dc" && session.phase !== "connecting" ? s.secc.ev.socPercent : null;
      return session.progress(s.meas.voltageV, s.meas.currentA, soc);
    },
    push(ev, receivedAtMs) {
      inputAt = receivedAtMs === undefined ? null : hostNow() - (now() - receivedAtMs);
      try {
        push({ ...ev, tMs: now() } as EvseDcEvent);
      } finally {
        inputAt = null;
      }
    },
    async close() {
      finish();
      host?.stop();
      flush();
      await network.close();
      await o.board.close();
    },
  };
}
