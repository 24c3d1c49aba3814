/** Present state of the session: CP state and duty, PP, lock, S2, contactors, phase, stop. */
import type { SessionModel } from "../model/session-model.js";

const onOff = (v: boolean | undefined, on: string, off: string) => (v === undefined ? "–" : v ? on : off);

export function StatusBar({ model }: { model: SessionModel; version: number }) {
  const s = model.status;
  const item = (id: string, label: string, value: string, hot = false) => (
    <div class={`stat${hot ? " hot" : ""}`} data-testid={id}>
      <span class="k">{label}</span> <span class="v">{value}</span>
    </div>
  );
  return (
    <div class="statusbar" data-testid="session-state">
      {item("cp-state", "CP", s.cp ?? "–")}
      {item("cp-duty", "duty", s.duty === undefined ? "–" : `${s.duty} %`)}
      {item("pp-state", "PP", s.pp ?? "–")}
      {item("lock-state", "lock", onOff(s.locked, "locked", "unlocked"))}
      {item("s2-state", "S2", onOff(s.s2, "closed", "open"))}
      {item(
        "contactor-evse",
        "EVSE contactor",
        onOff(s.contactors.evse, "closed", "open"),
        s.contactors.evse,
      )}
      {item("contactor-ev", "EV contactor", onOff(s.contactors.ev, "closed", "open"), s.contactors.ev)}
      {item("session-phase", "phase", s.phase ?? "–")}
      {item("session-time", "t", `${s.lastT.toFixed(3)} s`)}
      {s.stop &&
        item("session-stop", "stop", `${s.stop.side ? `${s.stop.side}: ` : ""}${s.stop.reason}`, true)}
    </div>
  );
}
