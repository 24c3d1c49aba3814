/**
 * The simulated world as a board over the board protocol (docs/board-protocol.md): a board endpoint for
 * one role on a byte stream, whose commands the {@link DcWorld} carries out and which sends the world's
 * readings for that side. Live-host rules (design choices):
 * - the EV is plugged in when its host says hello, and leaves (S2 open, contactors open, unplugged) when
 *   that host is lost or says bye;
 * - when the EVSE host is lost the board switches its outputs off by itself, as the protocol requires;
 *   the next EVSE host gets the current CP/PP state after its hello, and the pilot back at X1 (steady
 *   +12 V, IEC 61851-1), the state an EVSE controller starts from;
 * - a host hello's `sim` settings are applied with `DcWorld.configure` before the EV is plugged in.
 * Platform-neutral.
 */
import { type BoardEndpoint, createBoardEndpoint } from "../../link/board/board-endpoint.js";
import {
  evCommandToEffect,
  evEventToReading,
  evseCommandToEffect,
  evseEventToReading,
} from "../../link/board/mapping.js";
import type {
  BoardCommandOf,
  BoardReadingOf,
  BoardRole,
  EvBoardCommand,
  EvseBoardCommand,
  HostHello,
} from "../../link/board/messages.js";
import { createListeners } from "../../link/board/peer.js";
import type { BoardStream, BoardStreamEnd } from "../../link/board/stream.js";
import { BOARD_BUTTON_CAPABILITY } from "../../link/host/board-port.js";
import type { EvBoardEvent, EvseBoardEvent } from "../../link/host/controllers.js";
import { type LinkLogger, silentLogger } from "../../link/logger.js";
import type { Clock } from "../../machine/index.js";
import { DUTY_X1 } from "../../pilot/index.js";
import type { DcWorld } from "../dc/world.js";
import { applyHelloSim } from "./sim-settings.js";
import { evLeaves, evseOutputsOff, evseWorldState, evWorldState, setWorldSide } from "./world-port.js";

/** Capability a simulated board announces in its hello. Design choice. */
export const SIM_BOARD_CAPABILITY = "sim";

/**
 * Worlds whose pilot the board switched to state F after losing the EVSE host; the next EVSE host (on any
 * connection) gets it back at X1.
 */
const pilotOffAfterLoss = new WeakSet<DcWorld>();

/** Options of {@link serveWorldRole}. */
export interface ServeWorldRoleOptions {
  clock: Clock;
  /** Board name sent in the hello. */
  name: string;
  logger?: LinkLogger;
  /** Host supervision limit (ms); default the protocol's 500 ms. */
  heartbeatLimitMs?: number;
}

/** One role of the world served on one stream. */
export interface WorldRoleServer<R extends BoardRole> {
  readonly role: R;
  readonly endpoint: BoardEndpoint<R>;
  /** A host is attached (hello exchanged, not lost since). */
  readonly live: boolean;
  /** The host said hello (after the world was configured and, for the EV, plugged in). */
  onHello(cb: (hello: HostHello) => void): () => void;
  /** The host was lost or said bye (after the outputs were switched off / the EV left). */
  onHostLost(cb: (lost: { reason: string; detail: string }) => void): () => void;
  /** Resolves when the stream has ended (peer gone or `close()`); the world side is detached then. */
  readonly ended: Promise<BoardStreamEnd>;
  /** Stop serving: outputs off as for a lost host, detach from the world, close the stream. */
  close(): void;
}

/** Serve `role` of `world` as a board on `stream`. */
export function serveWorldRole<R extends BoardRole>(
  world: DcWorld,
  role: R,
  stream: BoardStream,
  o: ServeWorldRoleOptions,
): WorldRoleServer<R> {
  const log = o.logger ?? silentLogger;
  const endpoint = createBoardEndpoint({
    role,
    stream,
    name: o.name,
    // the EV side can press the handle's release button (the board command `button`)
    capabilities: role === "ev" ? [SIM_BOARD_CAPABILITY, BOARD_BUTTON_CAPABILITY] : [SIM_BOARD_CAPABILITY],
    timers: o.clock,
    logger: log,
    ...(o.heartbeatLimitMs !== undefined && { heartbeatLimitMs: o.heartbeatLimitMs }),
  });
  let live = false;
  let detached = false;

  const send = (reading: BoardReadingOf<R>): void => {
    if (endpoint.state === "ended") return;
    try {
      endpoint.sendReading(reading);
    } catch (err) {
      log.warn({ role, type: reading.type }, `sim board: reading not sent: ${(err as Error).message}`);
    }
  };
  const onWorld =
    role === "evse"
      ? (ev: EvseBoardEvent) => send(evseEventToReading(ev) as BoardReadingOf<R>)
      : (ev: EvBoardEvent) => send(evEventToReading(ev) as BoardReadingOf<R>);
  const detachSide = setWorldSide(world, role, onWorld as never);
  // The board's current state, re-sent after every hello by the endpoint.
  const state: (EvseBoardEvent | EvBoardEvent)[] =
    role === "evse" ? evseWorldState(world) : evWorldState(world);
  for (const ev of state) (onWorld as (e: EvseBoardEvent | EvBoardEvent) => void)(ev);
  world.syncMeasurements(true, { bms: true });

  const hostLost = createListeners<[{ reason: string; detail: string }]>();
  const hellos = createListeners<[HostHello]>();

  endpoint.onCommand((c) => {
    if (role === "evse") world.evseCommand(evseCommandToEffect(c as EvseBoardCommand));
    else {
      const ev = c as BoardCommandOf<"ev"> as EvBoardCommand;
      if (ev.type === "button") world.pressButton(ev.pressed);
      else world.evCommand(evCommandToEffect(ev));
    }
  });
  endpoint.onHello((h) => {
    live = true;
    log.info({ role, host: h.host }, "sim board: host attached");
    if (h.sim) {
      try {
        applyHelloSim(world, h.sim);
      } catch (err) {
        const msg = `hello field "sim" not applied: ${(err as Error).message}`;
        log.warn({ role }, `sim board: ${msg}`);
        endpoint.sendError(msg);
      }
    }
    if (role === "evse" && pilotOffAfterLoss.delete(world))
      world.evseCommand({ kind: "duty", duty: DUTY_X1 });
    if (role === "ev" && !world.cable.plugged) world.plugIn();
    hellos.emit(h);
  });
  const outputsOff = (): void => {
    if (role === "evse") {
      evseOutputsOff(world);
      pilotOffAfterLoss.add(world);
    } else evLeaves(world);
  };
  endpoint.onLost((l) => {
    live = false;
    const msg = role === "evse" ? "sim board: host gone, outputs off" : "sim board: host gone, the EV leaves";
    if (l.reason === "bye") log.info({ role, reason: l.reason, detail: l.detail }, msg);
    else log.warn({ role, reason: l.reason, detail: l.detail }, msg);
    outputsOff();
    hostLost.emit(l);
  });

  const ended = new Promise<BoardStreamEnd>((resolve) =>
    stream.onClose((e) => {
      if (!detached) {
        detached = true;
        detachSide();
      }
      resolve(e);
    }),
  );

  return {
    role,
    endpoint,
    get live() {
      return live;
    },
    onHello: hellos.add,
    onHostLost: hostLost.add,
    ended,
    close() {
      if (live) {
        live = false;
        outputsOff();
      }
      if (!detached) {
        detached = true;
        detachSide();
      }
      endpoint.close();
    },
  };
}
