/**
 * One DC safety supervisor per SECC session for the load bench, running the production supervisor of
 * `src/evse/safety` — the same `safetyTrip` the EVSE DC controller calls on its `emergency-stop` event
 * (src/evse/dc/secc-glue.ts `trip`) — and carrying out its effects the way the controller's `applySafety`
 * does: `output-off` → power-stage off command, `contactors` → contactor command; then, as the controller
 * does after the supervisor, the V2G session is ended with EVSE_EmergencyShutdown (SECC control
 * `emergency-stop`, which also turns the session's plant off and opens its contactors).
 *
 * The SECC link host (`runSeccSession`) drives the bare SECC machine, so the supervisor follows the session
 * from outside: after every request the SECC answered it takes the machine's contactor command and the
 * output measurement (`safetyContactors` / `safetyMeasure`), as the controller does on its `measure` events.
 * The power stage here is {@link PowerStageDriver}, the driver interface a hardware host implements; it
 * notes when each command was issued.
 */
import {
  initialSafety,
  type SafetyState,
  safetyContactors,
  safetyMeasure,
  safetyTrip,
} from "../../src/evse/safety/index.js";
import type { SeccSession } from "../../src/link/host/secc-session.js";

/** Power-stage / contactor driver of one charger: the commands are what we time. */
export class PowerStageDriver {
  /** When the output-off command was issued (performance.now ms), or null. */
  offCommandAtMs: number | null = null;
  contactorsClosed = false;

  /** Output off (emergency): ramp to 0 A and discharge. */
  off(): void {
    this.offCommandAtMs = performance.now();
  }

  /** Contactor command. */
  contactors(closed: boolean): void {
    this.contactorsClosed = closed;
  }
}

/** Timing of one emergency stop (performance.now ms). */
export interface EstopTiming {
  /** The supervisor's handler started (input seen by the supervisor). */
  detectedMs: number;
  /** The power-stage off command was issued. */
  offMs: number;
}

/** The production safety supervisor attached to one SECC session. */
export class SessionSafety {
  private s: SafetyState = initialSafety();
  readonly stage = new PowerStageDriver();

  constructor(readonly session: SeccSession) {}

  /** After each answered request: follow the machine's contactor command and the output measurement. */
  observe(): void {
    const st = this.session.state();
    let fx: ReturnType<typeof safetyMeasure>[1];
    [this.s, fx] = safetyContactors(this.s, st.contactors === "closed");
    for (const f of fx) if (f.kind === "contactors") this.stage.contactors(f.closed);
    [this.s, fx] = safetyMeasure(this.s, st.readings.presentVoltageV, st.readings.presentCurrentA);
    for (const f of fx) if (f.kind === "contactors") this.stage.contactors(f.closed);
  }

  /** Emergency-stop input handler. Null when already tripped (first fault wins: no new off command). */
  emergencyStop(): EstopTiming | null {
    const detectedMs = performance.now();
    const [s, fx] = safetyTrip(this.s, "emergency-stop", "emergency-stop input", detectedMs);
    this.s = s;
    let offMs = -1;
    for (const f of fx) {
      if (f.kind === "output-off") {
        this.stage.off();
        offMs = this.stage.offCommandAtMs!;
      } else if (f.kind === "contactors") this.stage.contactors(f.closed);
    }
    if (offMs < 0) return null;
    this.session.control({ op: "emergency-stop" });
    return { detectedMs, offMs };
  }

  /** True once tripped. */
  get tripped(): boolean {
    return this.s.trip !== null;
  }
}
