/**
 * The `sim` field of a host `hello` (the settings of a shared simulated world), added on the way out.
 * Platform-neutral.
 */
import type { HostHelloSim } from "./messages.js";
import type { BoardStream } from "./stream.js";

/**
 * A host-side stream that adds `sim` to every `hello` line the host link writes (the link writes one whole
 * line per `write`). Lets a host that joins a shared simulated world name its charger or vehicle without
 * the link knowing about simulators. Design choice. Only writes pass through it: received data, the end and
 * the state are the stream's own (a reading on its way in crosses no extra layer).
 */
export function withHelloSim(stream: BoardStream, sim: HostHelloSim): BoardStream {
  return {
    write(chunk) {
      stream.write(typeof chunk === "string" ? addSim(chunk, sim) : chunk);
    },
    onData: (cb) => stream.onData(cb),
    onClose: (cb) => stream.onClose(cb),
    close: () => stream.close(),
    get closed() {
      return stream.closed;
    },
    // a shared transport's liveness (a board mux) stays with the stream
    ...(stream.shared && { shared: stream.shared }),
  };
}

function addSim(line: string, sim: HostHelloSim): string {
  if (!line.includes('"type":"hello"') || !line.endsWith("\n")) return line;
  try {
    const msg = JSON.parse(line) as Record<string, unknown>;
    if (msg.type !== "hello") return line;
    return `${JSON.stringify({ ...msg, sim })}\n`;
  } catch {
    return line;
  }
}
