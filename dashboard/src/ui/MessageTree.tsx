/** Decoded capture as a tree: layer / TCP connection → message → decoded fields (lazily rendered). */
import type { CaptureEvent } from "../../../src/capture/index.js";
import { MessageTreeLeaf } from "./MessageTreeLeaf.js";

function groupKey(e: CaptureEvent): string {
  return e.conn !== undefined && (e.layer === "v2g" || e.layer === "tcp" || e.layer === "tls")
    ? `TCP connection #${e.conn}`
    : e.layer.toUpperCase();
}

export function MessageTree({ events }: { events: readonly CaptureEvent[] }) {
  const groups = new Map<string, CaptureEvent[]>();
  for (const e of events) {
    const k = groupKey(e);
    const g = groups.get(k);
    if (g) g.push(e);
    else groups.set(k, [e]);
  }
  return (
    <div class="tree" data-testid="message-tree">
      {[...groups].map(([k, list]) => (
        <details key={k}>
          <summary>
            {k} ({list.length})
          </summary>
          <div class="tree-body">
            {list.slice(0, 2000).map((e, i) => (
              <MessageTreeLeaf key={i} e={e} />
            ))}
            {list.length > 2000 && <p class="muted">… {list.length - 2000} more (see the timeline)</p>}
          </div>
        </details>
      ))}
    </div>
  );
}
