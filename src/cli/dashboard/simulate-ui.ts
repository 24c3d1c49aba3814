/**
 * `nacs simulate --ui [PORT]`: the dashboard in-process, the session paced by the wall clock × `--speed`
 * (default 1) with control lines and scenario files from the app acting on the simulated EVSE and EV (a
 * plug-in after an unplug begins the next session of the same run), and after the run
 * the dashboard kept serving until SIGINT / SIGTERM, or for `--ui-linger S` seconds.
 */
import type { RecordEvent } from "../../link/host/record.js";
import type { DcSession } from "../../sim/dc/session.js";
import { untilStopSignal } from "../stop-signal.js";
import { type HostUi, startHostUi } from "./host-ui.js";
import { runPaced } from "./paced.js";
import { runSimControlLine, runSimScenario } from "./sim-control.js";

/** The `--ui` flags of `nacs simulate` (validated). */
export interface SimulateUiOptions {
  ui?: number | undefined;
  uiHost?: string | undefined;
  uiLinger?: number | undefined;
  speed?: number | undefined;
}

/** The running dashboard of a simulation. */
export interface SimulateUi {
  /** A record event of the session. */
  record(e: RecordEvent): void;
  /** Run the session paced; control lines reach it meanwhile. */
  run(session: DcSession, onTick?: () => void): Promise<void>;
  /** The session is over (after its summary event): keep serving, then close. */
  linger(): Promise<void>;
}

/** Start the dashboard of `nacs simulate --ui`; null without `--ui`. */
export async function startSimulateUi(o: SimulateUiOptions): Promise<SimulateUi | null> {
  if (o.ui === undefined) return null;
  let session: DcSession | null = null;
  const ui: HostUi = await startHostUi({
    command: "simulate",
    roles: ["evse", "ev"],
    port: o.ui,
    host: o.uiHost,
    control: (role, line) =>
      session
        ? runSimControlLine(session, role, line)
        : { ok: false, error: "the session has not started yet" },
    scenario: (name, text) =>
      session ? runSimScenario(session, name, text) : { ok: false, error: "the session has not started yet" },
  });
  return {
    record: (e) => ui.record(e),
    async run(s, onTick) {
      session = s;
      await runPaced(s, { speed: o.speed ?? 1, ...(onTick && { onTick }) });
    },
    async linger() {
      const forS = o.uiLinger;
      // listening for the signal before the `end` frame: a client may send SIGTERM as soon as it reads it
      await untilStopSignal(
        () => {
          ui.end();
          process.stderr.write(
            `nacs simulate: session over; dashboard at ${ui.url} ${forS === undefined ? "until Ctrl-C" : `for ${forS} s more`}\n`,
          );
        },
        forS === undefined ? undefined : forS * 1000,
      );
      await ui.close();
    },
  };
}
