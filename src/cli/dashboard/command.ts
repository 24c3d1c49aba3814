/**
 * `nacs dashboard [--port 8080] [--host 127.0.0.1]`: serves the dashboard app with no live session
 * (`live: false`): the app then offers its capture viewer and record viewer. Prints the URL on stdout;
 * ends cleanly on SIGINT / SIGTERM.
 */
import type { Command } from "commander";
import { z } from "zod";
import { parseOptions, UsageError } from "../errors.js";
import { isLoopbackHost } from "../loopback.js";
import { untilStopSignal } from "../stop-signal.js";
import { APP_BUILD_HINT } from "./fallback-page.js";
import { controlHelp } from "./host-ui.js";
import { createEventHub } from "./hub.js";
import { DASHBOARD_DEFAULT_HOST, DASHBOARD_DEFAULT_PORT, startDashboardServer } from "./server.js";

/** Options of `nacs dashboard`. */
export const dashboardOptionsSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(DASHBOARD_DEFAULT_PORT),
  host: z.string().min(1).default(DASHBOARD_DEFAULT_HOST),
});

/** Run `nacs dashboard` until SIGINT / SIGTERM. */
export async function runDashboard(raw: Record<string, unknown>): Promise<void> {
  const o = parseOptions(dashboardOptionsSchema, raw);
  const hub = createEventHub();
  hub.end(); // no session: the history is empty and over
  let server: Awaited<ReturnType<typeof startDashboardServer>>;
  try {
    server = await startDashboardServer({
      hub,
      command: "dashboard",
      live: false,
      roles: [],
      commands: controlHelp(),
      host: o.host,
      port: o.port,
    });
  } catch (e) {
    throw new UsageError(
      `option --port ${o.port}: cannot serve on ${o.host}: ${(e as Error).message}`,
      "--port",
      {
        cause: e,
      },
    );
  }
  if (!isLoopbackHost(o.host))
    process.stderr.write(`nacs dashboard: warning: listening on ${o.host}, not loopback\n`);
  if (!server.appBuilt)
    process.stderr.write(
      `nacs dashboard: the app is not built (${APP_BUILD_HINT}); serving the built-in page\n`,
    );
  await untilStopSignal(() => process.stdout.write(`nacs dashboard: ${server.url}\n`));
  await server.close();
  hub.close();
}

/** Register `nacs dashboard`. */
export function registerDashboardCommand(program: Command): void {
  program
    .command("dashboard")
    .description("serve the browser dashboard (capture and record viewers) with no live session")
    .option("--port <n>", `TCP port (default ${DASHBOARD_DEFAULT_PORT}; 0 = any free port)`)
    .option("--host <addr>", `bind address (default ${DASHBOARD_DEFAULT_HOST}; others warn)`)
    .action(runDashboard);
}
