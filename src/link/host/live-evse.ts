/**
 * The EVSE on a live host (`nacs evse`): the EVSE DC controller on the machine driver with a board port
 * (the simulated world, or a real board over the board protocol) and the live network ports (SLAC frames,
 * SDP datagrams, V2G over TCP/TLS). Everything J3400 asks of the charger — pilot, PP, safety supervisor,
 * interlock, isolation check, charge-loop watchdog — is the controller's, exactly as in the simulator.
 * Sessions are reported one by one when they end (the EV unplugged, or ended and de-energised).
 */
import type { EvseDcConfig, EvseDcEvent, EvseDcState } from "../../evse/dc/index.js";
import { evseLive, initialEvseDc } from "../../evse/dc/index.js";
import { type Clock, clockFrom, type MachineDriver, realClock } from "../../machine/index.js";
import type { LinkLogger } from "../logger.js";
import type { EvseBoardPort } from "./board-port.js";
import { createEvseHost } from "./controllers.js";
import { LiveSession, type LiveSessionSummary, recordOn } from "./live-session.js";
import { type EvseNetwork, type EvseNetworkOptions, startEvseNetwork } from "./network/index.js";
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
  logger?: LinkLogger;
}

/** A running live EVSE. */
export interface LiveEvse {
  readonly host: MachineDriver<EvseDcState, EvseDcEvent>;
  readonly network: EvseNetwork;
  /** Operator input (emergency stop, stop charging, safety reset, …), stamped now. */
  push(ev: EvseInput): void;
  /** Milliseconds since the host started. */
  now(): number;
  close(): Promise<void>;
}

/** Start the live EVSE: network first (its address goes into SDP), then the controller on the board. */
export async function startLiveEvse(o: LiveEvseOptions): Promise<LiveEvse> {
  const clock = clockFrom(o.clock ?? realClock);
  const now = () => clock.now();
  const hostNow = o.hostClock ?? now;
  const record = recordOn(now, 0, o.onRecord, "evse");
  let session: LiveSession | null = null;
  let settle: unknown = null;
  let lastCurrentA = 0;
  let host: MachineDriver<EvseDcState, EvseDcEvent> | null = null;
  let rxAt: number | null = null;

  const push = (ev: EvseDcEvent) => {
    if (!host) return;
    if (ev.kind !== "v2g-message") return host.push(ev);
    rxAt = hostNow();
    host.push(ev);
    rxAt = null;
  };
  const network = await startEvseNetwork({ ...o.network, push, now });
  const cfg = o.config({
    address: network.sdpAddress,
    port: network.v2gPort,
    tls: network.transport === "tls",
  });
  const finish = () => {
    if (!session) return;
    const s = session;
    session = null;
    if (settle !== null) clock.clearTimeout(settle);
    settle = null;
    const summary = s.summary(o.board.name, network.transport);
    record("summary", { summary });
    o.onSession?.(summary);
  };
  host = createEvseHost({
    state: initialEvseDc(cfg, now()),
    clock,
    ports: {
      board(c) {
        if (c.kind === "module" && c.op === "off" && c.emergency) session?.outputOff();
        if (c.kind === "contactors" && !c.closed) session?.contactorsOpen(lastCurrentA);
        o.board.command(c);
        if (c.kind === "duty") record("duty", { duty: c.duty });
        else if (c.kind === "contactors") record("contactor", { side: "evse", closed: c.closed });
      },
      network: (e) => network.perform(e),
      observe(f) {
        switch (f.kind) {
          case "phase":
            record("log", { level: "info", msg: `EVSE phase ${f.phase}` });
            if (f.phase === "slac" || (f.phase === "sdp" && !session))
              session ??= new LiveSession("secc", hostNow, record);
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
              session.message(f.name.replace(/Res$/, "Req"), "rx");
              session.message(f.name, "tx");
              if (rxAt !== null) session.responseTime(f.name, hostNow() - rxAt);
            }
            break;
          case "trip":
            session ??= new LiveSession("secc", hostNow, record);
            session.trip(f.fault, f.reason, f.detail);
            o.logger?.error({ fault: f.fault, detail: f.detail }, `evse: trip: ${f.reason}`);
            break;
          case "session-end":
            session?.end(f.reason, f.detail);
            record("stop", { reason: f.reason, detail: f.detail });
            break;
          case "log":
            o.logger?.[f.level]({}, `evse: ${f.msg}`);
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
      o.logger?.error({ detail }, `evse: board lost: ${detail}`);
      push({ kind: "board-lost", detail, tMs: now() });
    },
  );
  return {
    host,
    network,
    now,
    push: (ev) => push({ ...ev, tMs: now() } as EvseDcEvent),
    async close() {
      finish();
      host?.stop();
      await network.close();
      await o.board.close();
    },
  };
}
