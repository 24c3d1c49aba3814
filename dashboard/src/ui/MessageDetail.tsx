/** The selected message decoded with the core codecs (or as the capture decoder already decoded it). */
import { useMemo } from "preact/hooks";
import { decodeMsgHex, messageJson, negotiatedFamily } from "../model/msg-decode.js";
import type { SessionModel } from "../model/session-model.js";

export function MessageDetail({ model, index }: { model: SessionModel; index: number | undefined }) {
  const m = index === undefined ? undefined : model.messages[index];
  // the protocol the session negotiated: the host's start config, else the recorded SAP handshake
  const protocol =
    typeof model.config?.protocol === "string" ? model.config.protocol : negotiatedFamily(model.messages);
  const body = useMemo(() => {
    if (!m) return undefined;
    if (m.decoded !== undefined) return { head: m.schema ?? "", text: messageJson(m.decoded) };
    if (m.error) return { head: "not decoded", text: m.error };
    if (!m.bytes) return { head: "", text: "The record carries no bytes for this message." };
    const r = decodeMsgHex(m.bytes, m.name, protocol);
    if (!r.ok) return { head: "not decoded", text: r.error };
    const warn = r.warnings.length ? `\nwarnings: ${r.warnings.join("; ")}` : "";
    return { head: `${r.schema} ${r.type}`, text: messageJson(r.message) + warn };
  }, [m, protocol]);
  if (!m || !body)
    return (
      <div class="detail muted" data-testid="message-detail">
        Click a message to decode it.
      </div>
    );
  const pair = m.reqIndex ?? m.resIndex;
  return (
    <div class="detail" data-testid="message-detail">
      <div class="detail-head">
        <b>{m.name}</b> at {m.t.toFixed(3)} s {body.head && <span class="muted">({body.head})</span>}
        {m.rttMs !== undefined && <span> — answered in {m.rttMs} ms</span>}
        {pair !== undefined && <span class="muted"> · pair #{pair}</span>}
      </div>
      <pre class="mono small">{body.text}</pre>
    </div>
  );
}
