/**
 * The V2G message list (time, direction, name, request → response time), windowed so long sessions stay
 * cheap; follows the newest message while scrolled to the bottom. A click selects a message for decoding.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import type { MsgRow, SessionModel } from "../model/session-model.js";

const ROW_PX = 22;
const VIEW_PX = 360;

interface Props {
  model: SessionModel;
  version: number;
  selected?: number;
  onSelect(index: number): void;
}

const arrow = (m: MsgRow) => (m.from === "ev" ? "EV→EVSE" : m.from === "evse" ? "EVSE→EV" : "?");

export function MessageList({ model, version, selected, onSelect }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const [top, setTop] = useState(0);
  const follow = useRef(true);
  const n = model.messages.length;

  useEffect(() => {
    const el = box.current;
    if (el && follow.current) el.scrollTop = el.scrollHeight;
  }, [version]);

  const first = Math.max(0, Math.floor(top / ROW_PX) - 5);
  const last = Math.min(n, first + Math.ceil(VIEW_PX / ROW_PX) + 10);
  const rows: preact.JSX.Element[] = [];
  for (let k = first; k < last; k++) {
    const m = model.messages[k]!;
    rows.push(
      <button
        type="button"
        key={k}
        class={`msg-row${k === selected ? " sel" : ""}${m.error ? " err" : ""}`}
        style={{ top: `${k * ROW_PX}px` }}
        data-testid="message-row"
        data-index={k}
        onClick={() => onSelect(k)}
      >
        <span class="c-t">{m.t.toFixed(3)}</span>
        <span class={`c-dir ${m.from}`}>{arrow(m)}</span>
        <span class="c-name">{m.name}</span>
        <span class="c-rtt">{m.rttMs !== undefined ? `${m.rttMs} ms` : ""}</span>
      </button>,
    );
  }
  return (
    <div class="messages">
      <div class="msg-head">
        <span class="c-t">t (s)</span>
        <span class="c-dir">direction</span>
        <span class="c-name">message ({n})</span>
        <span class="c-rtt">req → res</span>
      </div>
      <div
        class="msg-scroll"
        ref={box}
        style={{ height: `${VIEW_PX}px` }}
        data-testid="message-list"
        data-count={n}
        onScroll={(e) => {
          const el = e.currentTarget;
          follow.current = el.scrollTop + el.clientHeight >= el.scrollHeight - ROW_PX;
          setTop(el.scrollTop);
        }}
      >
        <div style={{ height: `${n * ROW_PX}px`, position: "relative" }}>{rows}</div>
      </div>
    </div>
  );
}
