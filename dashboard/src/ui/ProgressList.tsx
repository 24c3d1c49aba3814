/** SLAC / SDP / session set-up progress, from the hosts' phase log lines (or the capture's SLAC messages). */
import type { SessionModel } from "../model/session-model.js";

const STEPS = ["plugged", "slac", "sdp", "session"] as const;

export function ProgressList({ model }: { model: SessionModel; version: number }) {
  const seen = new Set<string>();
  for (const p of model.progress) {
    for (const s of STEPS) if (new RegExp(`\\b${s}\\b`, "i").test(p.step)) seen.add(s);
  }
  if (model.messages.length > 0) seen.add("session");
  return (
    <div class="progress" data-testid="slac-progress">
      <div class="steps">
        {STEPS.map((s) => (
          <span key={s} class={`step${seen.has(s) ? " done" : ""}`} data-testid={`progress-${s}`}>
            {s}
          </span>
        ))}
      </div>
      <details>
        <summary>{model.progress.length} set-up events</summary>
        <ol class="mono small">
          {model.progress.slice(0, 400).map((p, k) => (
            <li key={k}>
              {p.t.toFixed(3)} s {p.side}: {p.step}
            </li>
          ))}
        </ol>
      </details>
    </div>
  );
}
