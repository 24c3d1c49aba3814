/**
 * Test-only: a TCP proxy on [::1] to [::1]:target that records every chunk with its direction and time, so
 * a test can turn a live (TLS) session into a pcapng (synth.ts) and decode it. It listens on a port in
 * 49152–65535, as an SDP response requires. Node-only.
 */
import { connect, createServer, type Server } from "node:net";

/** One chunk as it crossed the proxy: `ev` = client → server, `evse` = server → client. */
export interface ProxyChunk {
  from: "ev" | "evse";
  t: number;
  data: Buffer;
}

/** Start the proxy; `chunks` receives every chunk in order. */
export async function recordingProxy(
  target: number,
  chunks: ProxyChunk[],
): Promise<{ server: Server; port: number }> {
  const server = createServer((c) => {
    const up = connect(target, "::1");
    const rec = (from: ProxyChunk["from"]) => (d: Buffer) =>
      chunks.push({ from, t: Date.now() / 1000, data: d });
    c.on("data", rec("ev"));
    up.on("data", rec("evse"));
    c.pipe(up);
    up.pipe(c);
    c.on("error", () => up.destroy());
    up.on("error", () => c.destroy());
  });
  for (let i = 0; i < 20; i++) {
    const port = 49152 + Math.floor(Math.random() * 16000);
    const ok = await new Promise<boolean>((r) => {
      server.once("error", () => r(false));
      server.listen(port, "::1", () => r(true));
    });
    if (ok) return { server, port };
  }
  throw new Error("no free port for the proxy in 20 tries");
}
