/**
 * `--ui` of a running host (`nacs simulate`, `nacs evse`, `nacs ev`): the event hub and the dashboard
 * server in this process. The host hands it every record event and its control target(s); control lines
 * from the app run through the same control channel as stdin lines ({@link runOperatorLine}), unless the
 * host gives its own handler (the simulator).
 */
import type { RecordEvent } from "../../link/host/record.js";
import { UsageError } from "../errors.js";
import { isLoopbackHost } from "../loopback.js";
import { type OperatorResult, type OperatorTarget, runOperatorLine } from "../operator.js";
import { APP_BUILD_HINT } from "./fallback-page.js";
import { createEventHub, type EventHub } from "./hub.js";
import type { ControlRole, DashboardCommand } from "./protocol.js";
import {
  type ControlHandler,
  DASHBOARD_DEFAULT_HOST,
  type DashboardServer,
  type ScenarioHandler,
  startDashboardServer,
} from "./server.js";

/** The help text of the control words of each side, as the control channel's `help` prints it. */
export function controlHelp(): Record<ControlRole, string> {
  const help = (role: ControlRole) => {
    const r = runOperatorLine("help", { role, push() {}, world: null });
    return r.ok ? r.did : "";
  };
  return { evse: help("evse"), ev: help("ev") };
}

/** A host's dashboard. */
export interface HostUi {
  readonly url: string;
  readonly hub: EventHub;
  readonly server: DashboardServer;
  /** One record event of the host (in order). */
  record(e: RecordEvent): void;
  /** The control target of a live host's side (the one its stdin lines go to). */
  attach(target: OperatorTarget): void;
  /** The host's session(s) are over. */
  end(): void;
  close(): Promise<void>;
}

/** Options of {@link startHostUi}. */
export interface HostUiOptions {
  command: DashboardCommand;
  roles: ControlRole[];
  port: number;
  /** Bind address (default loopback, {@link DASHBOARD_DEFAULT_HOST}). */
  host?: string | undefined;
  /** Own control handler (else lines go to the attached targets). */
  control?: ControlHandler;
  /** Runs scenario files from the app (the simulator); without it they are refused. */
  scenario?: ScenarioHandler;
  appDir?: string;
  /** Where the URL line and warnings go (default stderr). */
  say?: (line: string) => void;
}

/**
 * Start the hub and the server; says `nacs COMMAND: dashboard at URL` (one parseable line). A port that
 * cannot be used is a UsageError naming `--ui`.
 */
export async function startHostUi(o: HostUiOptions): Promise<HostUi> {
  const say = o.say ?? ((l: string) => process.stderr.write(`${l}\n`));
  const host = o.host ?? DASHBOARD_DEFAULT_HOST;
  const hub = createEventHub();
  const targets = new Map<ControlRole, OperatorTarget>();
  const control: ControlHandler =
    o.control ??
    ((role, line): OperatorResult => {
      const t = targets.get(role);
      if (!t) return { ok: false, error: `role ${role}: the host is not ready for control lines yet` };
      return runOperatorLine(line, t, t.now?.());
    });
  let server: DashboardServer;
  try {
    server = await startDashboardServer({
      hub,
      command: o.command,
      live: true,
      roles: o.roles,
      commands: controlHelp(),
      control,
      ...(o.scenario && { scenario: o.scenario }),
      ...(o.appDir !== undefined && { appDir: o.appDir }),
      host,
      port: o.port,
    });
  } catch (e) {
    hub.close();
    throw new UsageError(`option --ui ${o.port}: cannot serve on ${host}: ${(e as Error).message}`, "--ui", {
      cause: e,
    });
  }
  if (!isLoopbackHost(host))
    say(
      `nacs ${o.command}: warning: the dashboard listens on ${host}, not loopback: whoever reaches it sees the session and can send control lines`,
    );
  say(`nacs ${o.command}: dashboard at ${server.url}`);
  if (!server.appBuilt)
    say(`nacs ${o.command}: the dashboard app is not built (${APP_BUILD_HINT}); raw stream only`);
  return {
    url: server.url,
    hub,
    server,
    record: (e) => hub.publish(e),
    attach: (t) => targets.set(t.role, t),
    end: () => hub.end(),
    async close() {
      hub.end();
      await server.close();
      hub.close();
    },
  };
}
