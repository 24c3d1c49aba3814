/** Test support: a WebSocket client that collects the dashboard's frames and waits for one (bounded). */
import { WebSocket } from "ws";

/** Frames received so far and a bounded wait. */
export interface FrameClient {
  ws: WebSocket;
  frames: Record<string, unknown>[];
  /** Resolves with the first frame (from index `from`) that `pred` accepts; rejects after `ms`. */
  waitFor(
    pred: (f: Record<string, unknown>) => boolean,
    ms: number,
    from?: number,
  ): Promise<Record<string, unknown>>;
  send(v: unknown): void;
  close(): void;
}

/** Connect to `url` (ws://…/ws); resolves once open. */
export function connectFrames(url: string, headers: Record<string, string> = {}): Promise<FrameClient> {
  const ws = new WebSocket(url, { headers });
  const frames: Record<string, unknown>[] = [];
  ws.on("message", (d) => frames.push(JSON.parse(String(d)) as Record<string, unknown>));
  const client: FrameClient = {
    ws,
    frames,
    async waitFor(pred, ms, from = 0) {
      const until = Date.now() + ms;
      for (;;) {
        const f = frames.slice(from).find(pred);
        if (f) return f;
        if (Date.now() > until)
          throw new Error(
            `no such frame within ${ms} ms; last: ${JSON.stringify(frames.slice(-3)).slice(0, 600)}`,
          );
        if (ws.readyState === ws.CLOSED) throw new Error("socket closed while waiting");
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    send: (v) => ws.send(typeof v === "string" ? v : JSON.stringify(v)),
    close: () => ws.terminate(),
  };
  return new Promise((resolve, reject) => {
    ws.once("open", () => resolve(client));
    ws.once("error", reject);
    ws.once("unexpected-response", (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}
