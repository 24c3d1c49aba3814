/**
 * `nacs simulate --service`: what an ISO 15118-20 energy service implies for the other options, and the rules
 * that tie them together (ISO 15118-20 service IDs, Table 204: AC 1, DC 2, AC_BPT 5, DC_BPT 6).
 */
import type { z } from "zod";
import { SIM_BPT_DEFAULT_MIN_SOC } from "../../sim/dc/index.js";

/** `--service dc-bpt|ac-bpt`: the start SOC when `--soc` is not given (%), so the default run has energy to give. */
export const SIM_BPT_DEFAULT_START_SOC = 80;

/**
 * The raw options with what the service implies: ac / ac-bpt → AC over high-level communication (`--mode ac
 * --hlc`, unless given); dc-bpt / ac-bpt → `--soc` {@link SIM_BPT_DEFAULT_START_SOC} unless given.
 */
export function impliedByService(raw: Record<string, unknown>): Record<string, unknown> {
  const bpt = raw.service === "dc-bpt" || raw.service === "ac-bpt";
  const withSoc = bpt ? { ...raw, soc: raw.soc ?? SIM_BPT_DEFAULT_START_SOC } : raw;
  if (raw.service !== "ac" && raw.service !== "ac-bpt") return withSoc;
  const mode = raw.mode ?? "ac";
  return { ...withSoc, mode, hlc: raw.hlc ?? mode === "ac" };
}

/** The options these rules read. */
interface ServiceOptions {
  protocol: string;
  mode: string;
  hlc: boolean;
  service?: string | undefined;
  soc: number;
  minSoc?: number | undefined;
}

/** The service rules, each naming its option: protocol, mode, --min-soc only with ac-bpt and below --soc. */
export function checkIso20Service(o: ServiceOptions, ctx: z.RefinementCtx): void {
  const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
  if (o.protocol === "iso20" && o.mode === "ac" && !o.hlc)
    issue("protocol", "iso20 with --mode ac needs --hlc (ISO 15118-20 is high-level communication)");
  if (o.service !== undefined && o.protocol !== "iso20")
    issue("service", "needs --protocol iso20 (the energy services are ISO 15118-20's)");
  const acService = o.service === "ac" || o.service === "ac-bpt";
  if (o.service !== undefined && o.protocol === "iso20" && acService !== (o.mode === "ac"))
    issue(
      "service",
      acService
        ? `${o.service} needs --mode ac (it is an AC service)`
        : `${o.service} needs --mode dc (it is a DC service)`,
    );
  const bpt = o.service === "dc-bpt" || o.service === "ac-bpt";
  if (o.minSoc !== undefined && !bpt) issue("minSoc", "needs --service dc-bpt or ac-bpt (a discharge)");
  if (bpt) {
    const min = o.minSoc ?? SIM_BPT_DEFAULT_MIN_SOC;
    if (min >= o.soc)
      issue(
        "minSoc",
        `must be below --soc (${o.soc}): the EV discharges from --soc down to it (minimum ${min})`,
      );
  }
}
