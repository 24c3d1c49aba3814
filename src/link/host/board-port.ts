/**
 * The board as a controller host sees it, whatever stands behind it: a board link speaking the board
 * protocol (docs/board-protocol.md) over stdio, serial or a socket, or the simulated world in-process.
 * Commands are the controller's board effects; readings come back as the controller's board events
 * (the host stamps `tMs`); losing the board is reported once.
 */

import {
  evEffectToCommand,
  evReadingToEvent,
  evseEffectToCommand,
  evseReadingToEvent,
} from "../board/mapping.js";
import type { BoardCommandOf, BoardReadingOf, BoardRole } from "../board/messages.js";
import type { EvBoardEffect, EvBoardEvent, EvseBoardEffect, EvseBoardEvent } from "./controllers.js";

/** A board for one role. */
export interface BoardPort<C, R> {
  /** Name for logs and summaries ("sim", "stdio:…", the board's hello name). */
  readonly name: string;
  /** Carry out a board effect. */
  command(c: C): void;
  /**
   * EV side only, where the board can: press (true) or release the connector handle's release button — PP
   * latched ↔ unlatched (SAE J3400 / SAE J1772 proximity circuit: S3 opens, 150 Ω → 480 Ω). A tester's
   * action (`nacs conformance`), not a controller effect.
   */
  pressButton?(pressed: boolean): void;
  /** Start delivering readings and loss (once). Readings carry the port's time; the host restamps them. */
  attach(onReading: (r: R) => void, onLost: (detail: string) => void): void;
  close(): Promise<void>;
}
export type EvseBoardPort = BoardPort<EvseBoardEffect, EvseBoardEvent>;
export type EvBoardPort = BoardPort<EvBoardEffect, EvBoardEvent>;

/** Stop reason of a controller whose board was lost (heartbeat, closed stream, protocol error). */
export const BOARD_LOST_REASON = "board lost";

/**
 * What a board port needs of a ready board link: a `BoardLink` on this thread, or a link carried by the
 * host's board thread (`ThreadBoardLink`).
 */
export interface PortLink<R extends BoardRole> {
  send(command: BoardCommandOf<R>): unknown;
  onReading(cb: (reading: BoardReadingOf<R>) => void): unknown;
  onLost(cb: (lost: { reason: string; detail: string }) => void): unknown;
  close(): unknown;
}

/** An EVSE board port over a ready board link. */
export function evseBoardLinkPort(link: PortLink<"evse">, name: string, now: () => number): EvseBoardPort {
  return {
    name,
    command(c) {
      const cmd = evseEffectToCommand(c);
      if (cmd) link.send(cmd);
    },
    attach(onReading, onLost) {
      link.onReading((r) => {
        const ev = evseReadingToEvent(r, now());
        if (ev) onReading(ev as EvseBoardEvent);
      });
      link.onLost((l) => onLost(`${l.reason}${l.detail ? `: ${l.detail}` : ""}`));
    },
    close: async () => {
      await link.close();
    },
  };
}

/** The capability (board `hello`) of an EV board that can press the handle's release button. */
export const BOARD_BUTTON_CAPABILITY = "button";

/**
 * An EV board port over a ready board link; `capabilities` from the board's hello: with
 * {@link BOARD_BUTTON_CAPABILITY} the port can press the handle's release button (`pressButton`).
 */
export function evBoardLinkPort(
  link: PortLink<"ev">,
  name: string,
  now: () => number,
  capabilities: readonly string[] = [],
): EvBoardPort {
  const port: EvBoardPort = {
    name,
    command(c) {
      const cmd = evEffectToCommand(c);
      if (cmd) link.send(cmd);
    },
    attach(onReading, onLost) {
      link.onReading((r) => onReading(evReadingToEvent(r, now()) as EvBoardEvent));
      link.onLost((l) => onLost(`${l.reason}${l.detail ? `: ${l.detail}` : ""}`));
    },
    close: async () => {
      await link.close();
    },
  };
  if (capabilities.includes(BOARD_BUTTON_CAPABILITY))
    port.pressButton = (pressed) => link.send({ type: "button", pressed });
  return port;
}
