/**
 * The dashboard flags of `nacs simulate`, `nacs evse` and `nacs ev`: `--ui [PORT]` (serve the dashboard
 * in-process, default port {@link DASHBOARD_DEFAULT_PORT}, 0 = any free port), `--ui-host ADDR` (bind
 * address, default loopback) and, for the simulator, `--ui-linger S`.
 */
import type { Command } from "commander";
import { z } from "zod";
import { DASHBOARD_DEFAULT_HOST, DASHBOARD_DEFAULT_PORT } from "./server.js";

/** Longest `--ui-linger` (s): a week. */
const MAX_LINGER_S = 7 * 24 * 3600;

/** `--ui [PORT]`: commander gives `true` for the bare flag, else the text. */
export const uiPortSchema = z
  .union([
    z.literal(true),
    z.coerce.number({ error: "must be a TCP port 0–65535 (0: any free port)" }).int().min(0).max(65535),
  ])
  .transform((v) => (v === true ? DASHBOARD_DEFAULT_PORT : v));

/** The zod fields of the dashboard flags (spread into a command's option schema). */
export const uiOptionShape = {
  ui: uiPortSchema.optional(),
  /** Default {@link DASHBOARD_DEFAULT_HOST} (applied where the server starts: parsed options stay as given). */
  uiHost: z.string().min(1).optional(),
};

/** `nacs simulate` only: after the session, keep serving this long (s) and exit; default until SIGINT. */
export const uiLingerShape = {
  uiLinger: z.coerce.number().min(0).max(MAX_LINGER_S).optional(),
};

/** Register `--ui [port]` and `--ui-host <addr>` on `cmd`. */
export function addUiOptions(cmd: Command): Command {
  return cmd
    .option(
      "--ui [port]",
      `serve the live dashboard (http://127.0.0.1:PORT/, default ${DASHBOARD_DEFAULT_PORT}; 0 = any free port): event stream and control`,
    )
    .option("--ui-host <addr>", `with --ui: bind address (default ${DASHBOARD_DEFAULT_HOST}; others warn)`);
}
