/**
 * The driver of a simulated session that a person steers while it runs (`nacs simulate --ui`): a
 * {@link ScenarioRunner} that takes more commands at any time (a scenario file run from the dashboard, a
 * plug-in), plugs in at t = 0 by itself when it starts with no script (as a session without a driver
 * does), and after an unplug keeps the run going for a while so that a plug-in can begin the next session
 * of the same run. Implements `SessionDriver` (src/sim/dc).
 */
import type { DcSession, SessionDriver } from "../dc/index.js";
import type { ScenarioCommand } from "./commands.js";
import { ScenarioRunner } from "./runner.js";

/**
 * After an unplug the run waits this long (virtual ms) for the next plug-in before it ends. A person acts
 * in wall time while the run goes `--speed` times faster: 10 simulated minutes are a minute at `--speed 10`
 * (design choice; the 60 s a script gets were 6 s there, too short to reach the plug button).
 */
export const INTERACTIVE_REPLUG_HOLD_MS = 600_000;

export class InteractiveDriver implements SessionDriver {
  readonly runner: ScenarioRunner;
  private session: DcSession | null = null;
  /**
   * Unplugged by the person: hold the run for a plug-in — "pulling" until the plug is out, then "out"
   * until it is in again.
   */
  private hold: "none" | "pulling" | "out" = "none";
  /** Without a script: the plug-in at t = 0 has not happened yet (the run must not end before it). */
  private pluggingIn = false;

  /** `script`: the run's own scenario (`--scenario`), or none: plug in at t = 0. */
  constructor(script: readonly ScenarioCommand[] = []) {
    this.runner = new ScenarioRunner(script);
  }

  get done(): boolean {
    return this.runner.done && this.hold === "none" && !this.pluggingIn;
  }
  get waiting(): boolean {
    return this.runner.waiting || this.hold !== "none";
  }
  get blockedAt(): { pos: number; text: string } | null {
    return this.runner.blockedAt;
  }
  get autoStartV2g(): boolean {
    return this.runner.autoStartV2g;
  }
  readonly stallMs = INTERACTIVE_REPLUG_HOLD_MS;

  attach(session: DcSession): void {
    this.session = session;
    if (this.runner.commands.length === 0) {
      this.pluggingIn = true;
      session.sim.at(0, "plug in", (s) => {
        this.pluggingIn = false;
        s.plugIn();
      });
    }
    this.runner.attach(session);
  }

  tick(): void {
    this.runner.tick();
    const plugged = this.session?.sim.cable.plugged;
    if (this.hold === "pulling" && !plugged) this.hold = "out";
    else if (this.hold === "out" && plugged) this.hold = "none";
  }

  /** Queue commands (they run after any still running). Throws `ScenarioError` on a protocol mismatch. */
  run(commands: readonly ScenarioCommand[]): void {
    this.runner.append(commands);
  }

  /** The person pulled the plug: keep the run for {@link INTERACTIVE_REPLUG_HOLD_MS} for a plug-in. */
  unplugged(): void {
    this.hold = "pulling";
  }
}
