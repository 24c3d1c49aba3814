/**
 * The OCPP flags of the charger side (`nacs simulate`, `nacs evse`): `--ocpp ws[s]://HOST/PATH/ID`
 * (connect to that CSMS as charging station ID), `--ocpp-version`, the driver's `--ocpp-id-token` and the
 * `--ocpp-meter-interval` of the transaction's periodic meter values.
 */
import type { Command } from "commander";
import { z } from "zod";
import { splitCsmsUrl } from "../../link/ocpp/url.js";

/** The zod fields of the OCPP flags (spread into a command's option schema). */
export const ocppOptionShape = {
  ocpp: z.string().min(1).optional(),
  /** Absent: 2.0.1 (no default in the parsed options: the options of a run without --ocpp stay as they were). */
  ocppVersion: z.enum(["2.0.1", "1.6"], { error: 'must be "2.0.1" or "1.6"' }).optional(),
  /** IdTokenType.idToken: at most 36 characters (OCPP 2.0.1 identifierString). */
  ocppIdToken: z.string().min(1).max(36).optional(),
  ocppMeterInterval: z.coerce.number().int().min(0).max(86_400).optional(),
  ocppRemoteStart: z.boolean().optional(),
  /** Security profile 1: HTTP Basic password, 16–40 characters (SecurityCtrlr.BasicAuthPassword). */
  ocppPassword: z.string().min(16).max(40).optional(),
  /** The directory of the offline queue on disk (journal of the transaction-related calls). */
  ocppQueue: z.string().min(1).optional(),
  /** OCPP 2.0.1 C15 OfflineTxForUnknownIdEnabled: a token presented offline is accepted or rejected. */
  ocppOfflineAuth: z.enum(["accept", "reject"], { error: 'must be "accept" or "reject"' }).optional(),
  /** Security profiles 2 and 3 (wss://): the CSMS root(s) to trust, the station's certificate and key. */
  ocppCa: z.string().min(1).optional(),
  ocppCert: z.string().min(1).optional(),
  ocppKey: z.string().min(1).optional(),
};

/** The OCPP flags as parsed. */
export interface OcppFlags {
  ocpp?: string | undefined;
  ocppVersion?: "2.0.1" | "1.6" | undefined;
  ocppIdToken?: string | undefined;
  ocppMeterInterval?: number | undefined;
  ocppRemoteStart?: boolean | undefined;
  ocppPassword?: string | undefined;
  ocppQueue?: string | undefined;
  ocppOfflineAuth?: "accept" | "reject" | undefined;
  ocppCa?: string | undefined;
  ocppCert?: string | undefined;
  ocppKey?: string | undefined;
}

/** The rules that tie the OCPP flags together (zod superRefine). */
export function checkOcppOptions(o: OcppFlags, ctx: z.RefinementCtx): void {
  const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
  if (o.ocpp === undefined) {
    for (const k of [
      "ocppVersion",
      "ocppIdToken",
      "ocppMeterInterval",
      "ocppRemoteStart",
      "ocppPassword",
      "ocppQueue",
      "ocppOfflineAuth",
      "ocppCa",
      "ocppCert",
      "ocppKey",
    ] as const)
      if (o[k] !== undefined) issue(k, "needs --ocpp");
    return;
  }
  try {
    splitCsmsUrl(o.ocpp);
  } catch (err) {
    issue("ocpp", (err as Error).message.replace(/^--ocpp:? ?/, ""));
  }
  for (const k of ["ocppCa", "ocppCert", "ocppKey"] as const)
    if (o[k] !== undefined && !o.ocpp.startsWith("wss://"))
      issue(k, "TLS (security profiles 2 and 3) needs a wss:// --ocpp URL");
  if ((o.ocppCert === undefined) !== (o.ocppKey === undefined))
    issue(
      o.ocppCert === undefined ? "ocppKey" : "ocppCert",
      "--ocpp-cert and --ocpp-key go together (security profile 3)",
    );
  if (o.ocppRemoteStart && o.ocppIdToken !== undefined)
    issue("ocppIdToken", "the driver presents no token with --ocpp-remote-start (the CSMS sends one)");
  if (o.ocppVersion === "1.6" && o.ocppOfflineAuth !== undefined)
    issue("ocppOfflineAuth", "OCPP 2.0.1 only for now");
  // OCPP 1.6 §7.28 IdToken: CiString20Type
  if (o.ocppVersion === "1.6" && o.ocppIdToken !== undefined && o.ocppIdToken.length > 20)
    issue("ocppIdToken", "OCPP 1.6 idTag: at most 20 characters (CiString20Type)");
}

/**
 * Register the OCPP flags on `cmd`; `paced`: the host runs virtual time paced to the wall clock (`nacs
 * simulate --speed`); `defaultIdToken`: the token the driver presents when none is given.
 */
export function addOcppOptions(cmd: Command, host: { paced: boolean; defaultIdToken: string }): Command {
  return cmd
    .option(
      "--ocpp <url>",
      `connect the charger to a CSMS as charging station ID: ws[s]://HOST[:PORT]/PATH/ID${host.paced ? " (paced: --speed)" : ""}`,
    )
    .option(
      "--ocpp-version <v>",
      "with --ocpp: OCPP version, 2.0.1 (default) or 1.6 (1.6J: Core and Smart Charging)",
    )
    .option(
      "--ocpp-id-token <token>",
      `with --ocpp: the driver's RFID token sent in Authorize (default ${host.defaultIdToken})`,
    )
    .option(
      "--ocpp-password <pw>",
      "with --ocpp: security profile 1, HTTP Basic auth (user: the station ID; 16–40 characters)",
    )
    .option(
      "--ocpp-remote-start",
      "with --ocpp: no token at plug-in; the session waits for the CSMS's RequestStartTransaction (app start)",
    )
    .option(
      "--ocpp-meter-interval <s>",
      "with --ocpp: meter values every S seconds of the session (TransactionEvent; 1.6: MeterValues) (default 60; 0 = none)",
    )
    .option(
      "--ocpp-ca <file>",
      "with a wss:// --ocpp: the CSMS root certificate(s) to trust (PEM; security profile 2; default: the system's)",
    )
    .option(
      "--ocpp-cert <file>",
      "with a wss:// --ocpp: the station's client certificate chain (PEM, CN = its identity; security profile 3)",
    )
    .option("--ocpp-key <file>", "with --ocpp-cert: its private key (PEM)")
    .option(
      "--ocpp-queue <dir>",
      "with --ocpp: keep the offline queue of transaction events (1.6: transaction messages) on disk in DIR (fsynced; restored and sent first on the next start); the station then also starts with no reachable CSMS and keeps trying",
    )
    .option(
      "--ocpp-offline-auth <a>",
      "with --ocpp (2.0.1): a token presented while the CSMS is unreachable is accepted locally or rejected (accept|reject, default reject; C15 OfflineTxForUnknownIdEnabled)",
    );
}
