/**
 * Control panel of a live session: each button sends one line of the `nacs evse` / `nacs ev` control
 * channel language as a `control` frame to the side that takes it; the host's answer is shown per line.
 */
import { useState } from "preact/hooks";
import { FAULT_NAMES, FAULTS, type FaultName } from "../../../src/sim/dc/faults.js";
import { WORLD_FAULTS } from "../../../src/sim/dc/inject.js";
import type { Role } from "../live/protocol.js";

export interface ControlLog {
  id: number;
  role: Role;
  line: string;
  result?: { ok: boolean; text: string };
}

interface Props {
  roles: Role[];
  commands: Partial<Record<Role, string>>;
  log: ControlLog[];
  send(role: Role, line: string): void;
  /** Run a scenario file (the host runs them: `nacs simulate --ui`); absent when it does not. */
  runScenario?: ((name: string, text: string) => void) | undefined;
}

/**
 * The fault catalogue (`nacs simulate --list-faults`), split into what a live host with the simulated
 * board takes (hardware faults, the TCP drop, the emergency stop) and what only the simulator injects.
 */
const LIVE_FAULTS: readonly FaultName[] = [...WORLD_FAULTS, "tcp-drop"];
const FAULT_GROUPS: readonly [string, readonly FaultName[]][] = [
  ["live hosts (simulated board)", LIVE_FAULTS],
  ["simulator only", FAULT_NAMES.filter((f) => !LIVE_FAULTS.includes(f))],
];

/** Control line for the charger power limit (kW, 0 clears it); the host answers with an error if it does not take it. */
export const CHARGER_POWER_WORD = "set_charger_kw";

export function ControlPanel({ roles, commands, log, send, runScenario }: Props) {
  const [fault, setFault] = useState<string>("over-current");
  const [soc, setSoc] = useState("90");
  const [kw, setKw] = useState("150");
  const [line, setLine] = useState("");
  const [lineRole, setLineRole] = useState<Role>(roles[0] ?? "evse");
  const has = (r: Role) => roles.includes(r);
  const either: Role | undefined = has("ev") ? "ev" : has("evse") ? "evse" : undefined;
  const evse: Role | undefined = has("evse") ? "evse" : undefined;
  const btn = (id: string, label: string, role: Role | undefined, text: string, cls = "") => (
    <button
      type="button"
      class={cls}
      data-testid={id}
      disabled={!role}
      title={role ? `${role}: ${text}` : "no side of this session takes it"}
      onClick={() => role && send(role, text)}
    >
      {label}
    </button>
  );
  const numberField = (
    id: string,
    label: string,
    range: [number, number],
    value: string,
    set: (v: string) => void,
  ) => (
    <label>
      {label}{" "}
      <input
        data-testid={id}
        type="number"
        min={range[0]}
        max={range[1]}
        value={value}
        onInput={(e) => set(e.currentTarget.value)}
      />
    </label>
  );
  return (
    <div class="controls" data-testid="control-panel">
      <div class="row">
        {btn("ctl-plug", "Plug in", either, "plugin")}
        {btn("ctl-unplug", "Unplug", either, "unplug")}
        {btn("ctl-pause", "Pause", has("ev") ? "ev" : undefined, "pause")}
        {btn("ctl-resume", "Resume", has("ev") ? "ev" : undefined, "resume")}
        {btn("ctl-stop", "Stop", evse ?? either, evse ? "evse_stop" : "iso_stop_charging")}
        {btn("ctl-estop", "Emergency stop", evse, "emergency_stop", "danger")}
        {btn("ctl-release", "Release", evse, "emergency_release")}
      </div>
      <div class="row">
        <select data-testid="fault-select" value={fault} onChange={(e) => setFault(e.currentTarget.value)}>
          {FAULT_GROUPS.map(([label, names]) => (
            <optgroup key={label} label={label}>
              {names.map((f) => (
                <option key={f} value={f} title={FAULTS[f].description}>
                  {f}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
        {btn("ctl-fault", "Inject fault", evse ?? either, `fault ${fault}`, "danger")}
        {numberField("target-soc-input", "target SOC %", [0, 100], soc, setSoc)}
        {btn("ctl-target-soc", "Set", has("ev") ? "ev" : undefined, `set_target_soc ${soc}`)}
        {numberField("charger-power-input", "charger kW (0: rating)", [0, 1000], kw, setKw)}
        {btn("ctl-charger-power", "Set", evse, `${CHARGER_POWER_WORD} ${kw}`)}
      </div>
      <div class="row">
        <label title="a scenario file (.yaml / .json, or EVerest's text form): its commands run after any still running">
          Run scenario{" "}
          <input
            type="file"
            data-testid="scenario-file"
            accept=".yaml,.yml,.json,.txt"
            disabled={!runScenario}
            onChange={async (e) => {
              const f = e.currentTarget.files?.[0];
              e.currentTarget.value = "";
              if (f && runScenario) runScenario(f.name, await f.text());
            }}
          />
        </label>
        {!runScenario && <span class="muted small">(scenario files: nacs simulate --ui)</span>}
      </div>
      <form
        class="row"
        onSubmit={(e) => {
          e.preventDefault();
          if (line.trim() && has(lineRole)) send(lineRole, line.trim());
          setLine("");
        }}
      >
        <select
          data-testid="control-role"
          value={lineRole}
          onChange={(e) => setLineRole(e.currentTarget.value as Role)}
        >
          {roles.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
        <input
          class="grow mono"
          data-testid="control-line-input"
          placeholder={commands[lineRole] ?? "control line (help lists the words)"}
          value={line}
          onInput={(e) => setLine(e.currentTarget.value)}
        />
        <button type="submit" data-testid="ctl-send" disabled={roles.length === 0}>
          Send
        </button>
      </form>
      <ol class="control-log mono small" data-testid="control-results">
        {log
          .slice(-8)
          .reverse()
          .map((c) => (
            <li
              key={c.id}
              data-testid="control-result"
              class={c.result ? (c.result.ok ? "ok" : "bad") : "wait"}
            >
              {c.role}&gt; {c.line} → {c.result ? c.result.text : "…"}
            </li>
          ))}
      </ol>
    </div>
  );
}
