/**
 * The live connection: WebSocket `/ws` of the page's host. Events are queued as frames arrive and handed
 * to the view once per animation frame, so a burst of events costs one render.
 */
import type { RecordEvent } from "../../../src/sim/record/types.js";
import { type ControlFrame, parseServerFrame, type Role, type ServerFrame } from "./protocol.js";

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
  close(): void;
}

export function connectLive(url: string, h: LiveHandlers): LiveConnection {
  let pending: RecordEvent[] = [];
  let scheduled = false;
  let nextId = 1;
  const flush = () => {
    scheduled = false;
    const batch = pending;
    pending = [];
    if (batch.length > 0) h.onEvents(batch);
  };
  const ws = new WebSocket(url);
  h.onStatus("connecting");
  ws.onopen = () => h.onStatus("open");
  ws.onclose = () => {
    flush();
    h.onStatus("closed");
  };
  ws.onmessage = (m) => {
    const f = parseServerFrame(typeof m.data === "string" ? m.data : "");
    switch (f.kind) {
      case "hello":
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
  return {
    control(role, line) {
      const id = nextId++;
      const frame: ControlFrame = { kind: "control", id, role, line };
      ws.send(JSON.stringify(frame));
      return id;
    },
    close: () => ws.close(),
  };
}

/** The WebSocket URL of the page's host. */
export function liveUrl(loc: { protocol: string; host: string }): string {
  return `${loc.protocol === "https:" ? "wss:" : "ws:"}//${loc.host}/ws`;
}
