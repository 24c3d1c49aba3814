/**
 * The live connection: WebSocket `/ws` of the page's host. Events are queued as frames arrive and handed
 * to the view once per animation frame, so a burst of events costs one render.
 */
import type { RecordEvent } from "../../../src/sim/record/types.js";
import { type ClientFrame, parseServerFrame, type Role, type ServerFrame } from "./protocol.js";

export interface LiveHandlers {
  onHello(h: Extract<ServerFrame, { kind: "hello" }>): void;
  /** One animation frame's batch of events. */
  onEvents(events: RecordEvent[]): void;
  onEnd(): void;
  onResult(r: Extract<ServerFrame, { kind: "control-result" }>): void;
  onError(message: string): void;
  onStatus(s: "connecting" | "open" | "closed"): void;
}

export interface LiveConnection {
  /** Send a control line; returns its id. */
  control(role: Role, line: string): number;
  /** Send a scenario file to run (`nacs simulate --ui`); returns its id (answered like a control line). */
  scenario(name: string, text: string): number;
  close(): void;
}

/** Reconnect after this long when the host goes away, at most this many times in a row. */
export const LIVE_RECONNECT_MS = 2000;
export const LIVE_MAX_RECONNECTS = 30;

export function connectLive(url: string, h: LiveHandlers): LiveConnection {
  let pending: RecordEvent[] = [];
  let scheduled = false;
  let nextId = 1;
  let closed = false;
  let retries = 0;
  let ws: WebSocket;
  const flush = () => {
    scheduled = false;
    const batch = pending;
    pending = [];
    if (batch.length > 0) h.onEvents(batch);
  };
  const open = () => {
    ws = new WebSocket(url);
    h.onStatus("connecting");
    ws.onopen = () => h.onStatus("open");
    ws.onclose = () => {
      flush();
      h.onStatus("closed");
      // the host went away (restarted?): try again, a bounded number of times; its hello starts afresh
      if (!closed && retries < LIVE_MAX_RECONNECTS) {
        retries++;
        setTimeout(() => !closed && open(), LIVE_RECONNECT_MS);
      }
    };
    ws.onmessage = (m) => {
      const f = parseServerFrame(typeof m.data === "string" ? m.data : "");
      switch (f.kind) {
        case "hello":
          retries = 0;
          return h.onHello(f);
        case "events":
          for (const e of f.events) pending.push(e);
          if (!scheduled) {
            scheduled = true;
            requestAnimationFrame(flush);
          }
          return;
        case "end":
          flush();
          return h.onEnd();
        case "control-result":
          return h.onResult(f);
        case "error":
          return h.onError(`server: ${f.error}`);
        case "bad":
          return h.onError(f.error);
      }
    };
  };
  open();
  const send = (frame: (id: number) => ClientFrame): number => {
    const id = nextId++;
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(frame(id)));
    else
      setTimeout(() =>
        h.onResult({ kind: "control-result", id, ok: false, error: "not connected to the host" }),
      );
    return id;
  };
  return {
    control: (role, line) => send((id) => ({ kind: "control", id, role, line })),
    scenario: (name, text) => send((id) => ({ kind: "scenario", id, name, text })),
    close: () => {
      closed = true;
      ws.close();
    },
  };
}

/** The WebSocket URL of the page's host. */
export function liveUrl(loc: { protocol: string; host: string }): string {
  return `${loc.protocol === "https:" ? "wss:" : "ws:"}//${loc.host}/ws`;
}
