/** The `--check` report: sessions, response times against their limits, findings. */
import type { CheckReport } from "../../../src/capture/check.js";

export function Findings({ report }: { report: CheckReport }) {
  const c = report.counts;
  return (
    <div class="findings" data-testid="capture-findings">
      <h3>
        Check: <span data-testid="findings-errors">{c.errors}</span> errors, {c.warnings} warnings, {c.infos}{" "}
        notes
      </h3>
      <ul>
        {report.findings.map((f, k) => (
          <li key={k} class={`sev-${f.severity}`} data-testid="finding">
            <b>{f.severity}</b> {f.t !== undefined ? `${f.t.toFixed(3)} s ` : ""}
            <code>{f.code}</code> {f.message}
            {f.count && f.count > 1 ? ` (×${f.count})` : ""}
          </li>
        ))}
      </ul>
      <details>
        <summary>
          {report.sessions.length} sessions, {report.responseTimes.length} response-time rows
        </summary>
        <table class="small">
          <thead>
            <tr>
              <th>message</th>
              <th>n</th>
              <th>mean ms</th>
              <th>max ms</th>
              <th>limit ms</th>
              <th>over</th>
            </tr>
          </thead>
          <tbody>
            {report.responseTimes.map((r) => (
              <tr key={r.message} class={r.over > 0 ? "bad" : ""}>
                <td>{r.message}</td>
                <td>{r.count}</td>
                <td>{(r.meanS * 1000).toFixed(1)}</td>
                <td>{(r.maxS * 1000).toFixed(1)}</td>
                <td>{(r.limitS * 1000).toFixed(0)}</td>
                <td>{r.over}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <ul>
          {report.sessions.map((s) => (
            <li key={s.conn}>
              #{s.conn} {s.schema} {s.durationS.toFixed(1)} s, {s.messages} messages
              {s.energyWh !== undefined ? `, ${(s.energyWh / 1000).toFixed(2)} kWh` : ""}, stop:{" "}
              {s.stopReason}
            </li>
          ))}
        </ul>
      </details>
    </div>
  );
}
