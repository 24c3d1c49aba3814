/** One message of the capture's message tree; its decoded fields are rendered when opened. */
import { useState } from "preact/hooks";
import { DIRECTION_LABELS } from "../../../src/capture/format.js";
import type { CaptureEvent } from "../../../src/capture/index.js";
import { messageJson } from "../model/msg-decode.js";

export function MessageTreeLeaf({ e }: { e: CaptureEvent }) {
  const [open, setOpen] = useState(false);
  return (
    <details onToggle={(ev) => setOpen((ev.currentTarget as HTMLDetailsElement).open)}>
      <summary>
        {e.t.toFixed(3)} {DIRECTION_LABELS[e.from]} {e.schema ? `${e.schema} ` : ""}
        {e.type}
        {e.error ? ` !! ${e.error.message}` : ""}
      </summary>
      {open && <pre class="mono small">{messageJson(e.message ?? e.error ?? {})}</pre>}
    </details>
  );
}
