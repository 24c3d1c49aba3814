/**
 * Runs scenario commands (commands.ts) against a DC session in virtual time, EVerest-style: commands run one
 * after the other; a wait blocks the script until its condition holds (checked after every simulator
 * event), `sleep N` for N virtual seconds. A `sleep` while the EV sits plugged in after its session is over
 * is cut short (nothing can happen until the next command). Each plug-in is a session of its own: waits
 * look at the session of the current plug-in (`wait_phase` does not count a phase of an earlier one), a
 * wait that needs the car plugged in (`iso_wait_slac_matched`, `iso_wait_pwm_is_running`, `wait_phase`)
 * plugs it in first and says so in the record, and a plug-in right after an unplug waits until both sides
 * have seen the connector out. Implements `SessionDriver` (src/sim/dc).
 */
import type { DcSession, DcSim, FaultName, SessionDriver } from "../dc/index.js";
import type { ScenarioCommand } from "./commands.js";
import { checkScenarioProtocol } from "./parse.js";

/** `unplug`: handle button held this long before pulling (ms). Design choice (D). */
export const SCRIPT_UNPLUG_BUTTON_MS = 1_000;
/** `unplug`: pull anyway (forced) if the inlet is still locked this long after the button (ms). Design choice (D). */
export const SCRIPT_UNPLUG_FORCE_MS = 10_000;
/**
 * A plug-in right after an unplug waits until the EVSE and the EV have both seen the connector out (CP
 * state A: EVSE idle, EV unplugged), so the plug-in begins a new session; at most this long (ms). Design
 * choice (D): the EVSE's CP state detection takes well under a second.
 */
export const SCRIPT_REPLUG_WAIT_MS = 5_000;
/** `iso_start_bcb_toggle`: each half (C, then B) lasts this long (ms). Design choice (D), ISO 15118-3 wake-up. */
export const SCRIPT_BCB_HALF_MS = 300;
/** `iso_start_bcb_toggle`: at most this many toggles (EVerest caps at 3). */
export const SCRIPT_BCB_MAX = 3;
/** `rcd_current`: leakage I at the EV's maximum voltage V ⇒ isolation resistance V / I seen by the IMD. */
export const SCRIPT_RCD_HEALTHY_OHM = 5_000_000;

/** One executed command, for the record. */
export interface ScriptLogEntry {
  tMs: number;
  pos: number;
  text: string;
  event: "start" | "done" | "skipped";
}

interface Running {
  cmd: ScenarioCommand;
  /** Per-command scratch (deadline, counters). */
  untilMs?: number;
  step?: number;
  /** A re-plug waiting for both sides to see the previous unplug: plug in anyway at this time. */
  plugByMs?: number;
  started: boolean;
}

/** Script runner; give it to `DcSession` as `driver`. */
export class ScenarioRunner implements SessionDriver {
  private readonly list: ScenarioCommand[];
  readonly log: ScriptLogEntry[] = [];
  readonly autoStartV2g: boolean;
  private index = 0;
  private cur: Running | null = null;
  private session: DcSession | null = null;
  private blockedOnWait = false;

  constructor(commands: readonly ScenarioCommand[]) {
    this.list = [...commands];
    this.autoStartV2g = !commands.some((c) => c.name === "iso_start_v2g_session");
  }

  /** The commands, in order (with any appended). */
  get commands(): readonly ScenarioCommand[] {
    return this.list;
  }

  /**
   * Queue more commands after the ones given (a scenario run from the dashboard while the session runs):
   * they run once the ones before them have, numbered on from the last. Whether V2G starts on its own
   * after SLAC was fixed when the session was built. Throws {@link ScenarioError} when a command needs
   * another protocol than the session's.
   */
  append(commands: readonly ScenarioCommand[]): void {
    const session = this.session;
    if (session) checkScenarioProtocol(commands, session.opts.protocol);
    const from = this.list.length;
    this.list.push(...commands.map((c, k) => ({ ...c, pos: from + k + 1 })));
    if (session) this.wake(session.sim, session.sim.nowMs);
  }

  get done(): boolean {
    return this.index >= this.list.length && this.cur === null;
  }
  get waiting(): boolean {
    return this.blockedOnWait;
  }
  /** The command the script is blocked on, if any. */
  get blockedAt(): ScenarioCommand | null {
    return this.cur?.cmd ?? null;
  }

  /** Throws {@link ScenarioError} when a command needs another protocol than the session's. */
  attach(session: DcSession): void {
    checkScenarioProtocol(this.commands, session.opts.protocol);
    this.session = session;
    session.sim.at(0, "script start", () => this.tick());
  }

  tick(): void {
    const session = this.session;
    if (!session) return;
    for (;;) {
      if (!this.cur) {
        const cmd = this.list[this.index];
        if (!cmd) return;
        this.index++;
        this.cur = { cmd, started: false };
        this.note(session.sim, cmd, "start");
      }
      const finished = this.run(session, this.cur);
      this.cur.started = true;
      if (!finished) return;
      this.note(session.sim, this.cur.cmd, "done");
      this.cur = null;
      this.blockedOnWait = false;
    }
  }

  private note(sim: DcSim, cmd: ScenarioCommand, event: ScriptLogEntry["event"]): void {
    this.log.push({ tMs: sim.nowMs, pos: cmd.pos, text: cmd.text, event });
    if (event !== "done")
      sim.record("log", { side: "script", level: "info", msg: `${event} ${cmd.pos}: ${cmd.text}` });
  }

  private wake(sim: DcSim, atMs: number): void {
    sim.at(atMs, "script", () => this.tick());
  }

  /** Run `r` once; true when it has finished. */
  private run(session: DcSession, r: Running): boolean {
    const sim = session.sim;
    const c = sim.ctl;
    const ev = c.ev;
    const now = sim.nowMs;
    const a = r.cmd.args;
    const num = (k: number) => Number(a[k]);
    // Plug in if the connector is out; false while a re-plug waits for both sides to see the unplug.
    const plugIn = (implicit: boolean): boolean => {
      if (sim.cable.plugged) return true;
      if (c.evse.phase !== "idle" || ev.phase !== "unplugged") {
        if (r.plugByMs === undefined) {
          r.plugByMs = now + SCRIPT_REPLUG_WAIT_MS;
          this.wake(sim, r.plugByMs);
        }
        if (now < r.plugByMs) return false;
        sim.record("log", {
          side: "script",
          level: "warn",
          msg: `${r.cmd.pos}: ${r.cmd.text}: plugged in before the EVSE and the EV saw the unplug`,
        });
      }
      if (implicit)
        sim.record("log", {
          side: "script",
          level: "info",
          msg: `${r.cmd.pos}: ${r.cmd.text}: connector not plugged in, plugging in first (implicit plugin)`,
        });
      sim.plugIn();
      return true;
    };
    const note = (msg: string, level: "info" | "warn" = "info") =>
      sim.record("log", { side: "script", level, msg: `${r.cmd.pos}: ${r.cmd.text}: ${msg}` });
    const wait = (cond: boolean) => {
      this.blockedOnWait = !cond;
      return cond;
    };
    switch (r.cmd.name) {
      case "sleep": {
        if (!r.started) {
          r.untilMs = now + num(0) * 1000;
          this.wake(sim, r.untilMs);
        }
        if (now >= (r.untilMs ?? 0)) return true;
        if (sim.cable.plugged && session.idle() && c.ev.phase !== "paused") {
          this.note(sim, r.cmd, "skipped");
          return true;
        }
        return false;
      }
      case "plugin":
      case "wait_for_real_plugin":
        return plugIn(false);
      case "unplug": {
        if (!sim.cable.plugged) return true;
        if (!r.started) {
          sim.pressButton(true);
          r.untilMs = now + SCRIPT_UNPLUG_BUTTON_MS;
          this.wake(sim, r.untilMs);
          this.wake(sim, now + SCRIPT_UNPLUG_FORCE_MS);
          return false;
        }
        const unlocked = !sim.lock.locked && !c.ev.lockCmd;
        if (now < (r.untilMs ?? 0)) return false;
        if (!unlocked && now < (r.untilMs ?? 0) - SCRIPT_UNPLUG_BUTTON_MS + SCRIPT_UNPLUG_FORCE_MS)
          return false;
        if (!unlocked)
          sim.record("log", {
            side: "script",
            level: "warn",
            msg: "unplug: inlet still locked, pulled by force",
          });
        sim.unplug();
        return true;
      }
      case "iso_wait_pwm_is_running":
        if (!plugIn(true)) return wait(false);
        return wait(ev.duty > 4 && ev.duty < 97);
      case "pause":
        sim.cable.s2Closed = false;
        sim.record("s2", { closed: false });
        sim.physicalChange(true, false);
        return true;
      case "error_e":
        sim.inject("cp-short");
        return true;
      case "diode_fail":
        sim.inject("diode-short");
        return true;
      case "rcd_current": {
        const mA = num(0);
        const ohm = mA > 0 ? sim.cfg.ev.battery.maxVoltageV / (mA / 1000) : SCRIPT_RCD_HEALTHY_OHM;
        sim.record("log", {
          side: "script",
          level: "info",
          msg: `leakage ${mA} mA ⇒ isolation ${Math.round(ohm)} Ω`,
        });
        sim.world.setIsolation(ohm);
        return true;
      }
      case "iso_wait_slac_matched":
        if (!plugIn(true)) return wait(false);
        return wait(ev.phase === "sdp" || ev.phase === "session" || ev.phase === "paused");
      case "iso_start_v2g_session": {
        if (a[0] === "dc_bpt") c.toEv({ kind: "bidirectional", on: true, tMs: now });
        if (a.length >= 3) {
          // EVerest's MODE[,PAYMENT],DEPARTURE_S,EAMOUNT_WH
          c.toEv({ kind: "departure", atMs: now + num(a.length - 2) * 1000, tMs: now });
          if (num(a.length - 1) > 0)
            note(`EAmount ${num(a.length - 1)} Wh not used: the EV asks for what fills it`);
        }
        if (ev.phase === "paused") c.toEv({ kind: "resume", tMs: now });
        else c.toEv({ kind: "start-v2g", tMs: now });
        return true;
      }
      case "iso_wait_pwr_ready":
        return wait(ev.evcc.charging);
      case "iso_dc_power_on":
        return wait(sim.path.k2 && ev.contactorsCmd);
      case "iso_draw_power_regulated":
        sim.record("log", {
          side: "script",
          level: "info",
          msg: `${r.cmd.text}: AC current request; the DC EV follows its BMS`,
        });
        return true;
      case "iso_stop_charging":
        c.toEv({ kind: "stop", tMs: now });
        return true;
      case "iso_wait_for_stop": {
        if (!r.started) {
          r.untilMs = now + num(0) * 1000;
          this.wake(sim, r.untilMs);
        }
        if (ev.evcc.conn === "ended" || ev.phase === "ended" || ev.phase === "unplugged") return true;
        if (now >= (r.untilMs ?? 0)) {
          c.toEv({ kind: "stop", tMs: now });
          return true;
        }
        this.blockedOnWait = false;
        return false;
      }
      case "iso_wait_v2g_session_stopped":
        return wait(
          ev.evcc.conn === "ended" ||
            ev.phase === "ended" ||
            ev.phase === "paused" ||
            ev.phase === "unplugged",
        );
      case "iso_pause_charging":
        c.toEv({ kind: "pause", tMs: now });
        return true;
      case "iso_wait_pause":
        return wait(ev.phase === "paused");
      case "iso_wait_for_resume": {
        // step 0: until paused (and N s passed, with N); 1: resumed by us, until charging again.
        if (!r.started) {
          r.step = 0;
          if (a.length > 0) {
            r.untilMs = now + num(0) * 1000;
            this.wake(sim, r.untilMs);
          }
        }
        if (r.step === 0) {
          if (ev.phase !== "paused") return wait(false);
          if (a.length === 0) return wait(false); // as EVerest: only someone else resumes
          if (now < (r.untilMs ?? 0)) {
            this.blockedOnWait = false;
            return false;
          }
          r.step = 1;
          c.toEv({ kind: "resume", tMs: now });
        }
        return wait(ev.phase === "session" && ev.evcc.charging);
      }
      case "iso_start_bcb_toggle": {
        const n = Math.min(num(0), SCRIPT_BCB_MAX);
        if (!r.started) r.step = 0;
        const step = r.step ?? 0;
        if (step >= 2 * n) {
          sim.cable.s2Closed = ev.s2;
          sim.physicalChange(true, false);
          return true;
        }
        if (!r.started || now >= (r.untilMs ?? 0)) {
          sim.cable.s2Closed = step % 2 === 0;
          sim.record("s2", { closed: sim.cable.s2Closed });
          sim.physicalChange(true, false);
          r.step = step + 1;
          r.untilMs = now + SCRIPT_BCB_HALF_MS;
          this.wake(sim, r.untilMs);
        }
        return false;
      }
      case "set_soc": {
        sim.path.soc = num(0);
        c.syncMeasurements(true);
        return true;
      }
      case "set_target_soc":
        c.toEv({ kind: "set-target-soc", percent: num(0), tMs: now });
        return true;
      case "set_charger_kw":
        c.toEvse({ kind: "set-power-limit", maxPowerW: num(0) > 0 ? num(0) * 1000 : null, tMs: now });
        return true;
      case "wait_soc":
        return wait(sim.soc >= num(0));
      case "wait_phase":
        // The phase of the current plug-in's session: with the connector out, plug in first (as
        // iso_wait_slac_matched does); the simulator's phase starts again at "connecting" on each plug-in.
        if (!plugIn(true)) return wait(false);
        return wait(reached(sim, String(a[0])));
      case "fault":
        sim.inject(String(a[0]) as FaultName);
        return true;
      case "evse_stop":
        c.toEvse({ kind: "stop-charging", tMs: now });
        return true;
      case "evse_pause":
        c.toEvse({ kind: "pause-charging", tMs: now });
        return true;
      case "iso_start_bpt_discharge":
      case "iso_stop_bpt_discharge": {
        // the session may have fallen back from -20 (a charger without it): then there is nothing to ask
        const p = ev.evcc.protocol;
        if (p !== null && p !== "iso20") {
          note(`ignored: the session runs ${p}, giving energy back needs ISO 15118-20 (DC_BPT)`, "warn");
          return true;
        }
        c.toEv({ kind: "discharge", requested: r.cmd.name === "iso_start_bpt_discharge", tMs: now });
        return true;
      }
      case "iso_set_departure_time":
        c.toEv({ kind: "departure", atMs: now + num(0) * 1000, tMs: now });
        return true;
      case "emergency_stop":
        sim.pressEmergencyStop();
        return true;
      case "emergency_release":
        sim.releaseEmergencyStop();
        return true;
      default:
        throw new Error(`scenario runner: no implementation for ${r.cmd.name}`);
    }
  }
}

const ORDER = ["connecting", "cable-check", "pre-charge", "charging", "stopping", "ended"];

/**
 * True once the session of the current plug-in is in `phase` or a later one (the simulator's phase starts
 * again at "connecting" on each plug-in; a resumed session passes the phases again).
 */
function reached(sim: DcSim, phase: string): boolean {
  return ORDER.indexOf(sim.phase) >= ORDER.indexOf(phase);
}
