/**
 * The `sim` field of a host `hello` (the settings of a shared simulated world), added on the way out.
 * Platform-neutral.
 */
import type { HostHelloSim } from "./messages.js";
import { type BoardStream, createBoardStreamCore } from "./stream.js";

/**
 * A host-side stream that adds `sim` to every `hello` line the host link writes (the link writes one whole
 * line per `write`). Lets a host that joins a shared simulated world name its charger or vehicle without
 * the link knowing about simulators. Design choice.
 */
export function withHelloSim(stream: BoardStream, sim: HostHelloSim): BoardStream {
  const core = createBoardStreamCore(
    {
      write(chunk) {
        stream.write(typeof chunk === "string" ? addSim(chunk, sim) : chunk);
      },
      close: () => stream.close(),
    },
    stream.shared, // a shared transport's liveness (a board mux) stays with the stream
  );
  stream.onData((c) => core.data(c));
  stream.onClose((e) => core.end(e));
  return core.stream;
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
