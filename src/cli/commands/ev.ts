/**
 * `nacs ev --iface IF`: the J3400 EV controller (pilot, SLAC, SDP, EVCC, inlet lock, contactors or
 * on-board charger) against any EVSE on a network interface, DC or AC over ISO 15118-2 (`--mode`), with
 * its hardware behind `--board` (the simulated cable and battery by default). SLAC over a raw socket
 * (unless `--no-slac`; `--modem qca` drives a QCA7000-family modem), SDP (multicast ff02::1 on the
 * interface; unicast to `--sdp-target`, ::1 on loopback, which has no multicast), TCP or TLS, then one V2G
 * session. Prints a summary, or one JSON object with `--json`. Exit 0 when it reached its target or was
 * stopped in an orderly way, 1 otherwise, 2 on bad options. `--sessions N` (0: until interrupted): a new
 * session on each plug-in (the cable re-plugged, e.g. by the conformance tester hosting the simulated
 * cable), a summary each; exit 0 when every one ended normally.
 *
 * TLS: `--tls` with `--trust ROOT.pem` (the V2G root(s) to trust), or `--test-pki DIR` (DIR/v2g-root.pem
 * of the EVSE's `--test-pki DIR`). The EV refuses an SECC whose chain does not verify. `--tls-version 1.3|both`
 * offers ISO 15118-20 TLS 1.3 with the vehicle certificate (`--vehicle-cert/--vehicle-key`, or
 * DIR/iso20-vehicle-*.pem of the test PKI). `--ocsp require|prefer` asks for the SECC's OCSP staple and
 * checks it ([V2G2-873]; link/tls-ocsp.ts).
 *
 * Plug & Charge (ISO 15118-2, `--payment contract --pki DIR`): the EV pays with the contract of
 * `--contract-store FILE_OR_DIR` when that holds a valid one, else with DIR's, else (`--install-contract`)
 * installs one first; it asks for a CertificateUpdate when the contract expires within `--renew-days`.
 * A contract installed or updated is written to the store. `--install-contract` with a valid contract in the
 * store uses that one (and logs so). The `--json` summary's `contract` says which: `source` ("store", "pki",
 * "installed", "updated"), `emaid`, `notAfter`, `stored` (the file written) and, for an update, `previous`.
 *
 * `--pcap FILE`: records SLAC, SDP and the V2G session as pcapng as it happens (evse.ts
 * `openHostPcap`).
 *
 * ISO 15118-20 (`--protocol` with iso20): `--service dc|dc-bpt|ac|ac-bpt` is the energy service the EV
 * selects (ISO 15118-20 service IDs; an AC one implies `--mode ac`, a DC one `--mode dc`), `--control
 * scheduled|dynamic` its control mode (ControlMode parameter: 1 Scheduled, 2 Dynamic). `--pause-after S`
 * pauses the session (SessionStop Pause) S seconds into the charge loop, `--resume-after S` resumes it S
 * seconds later with the same SessionID (SDP, a new connection, OK_OldSessionJoined; the same as the `pause`
 * / `resume` lines on stdin).
 */
import { type Command, Option } from "commander";
import { z } from "zod";
import { EV_DEFAULT_MIN_SOC_PERCENT } from "../../ev/dc/controller.js";
import { EV_MAX_S2_CLOSE_DELAY_MS } from "../../ev/dc/types.js";
import { EV_PROFILE_NAMES, evProfileProblem } from "../../ev/profiles.js";
import { isLoopback, stderrLogger } from "../../link/host/cli-support.js";
import { findLinkLocalAddress } from "../../link/iface.js";
import { EVCC_CONTRACT_RENEW_DAYS } from "../../v2g/pnc/installed-contract.js";
import { EVCC_DEFECT_NAMES, type EvccDefectName } from "../../v2g/session/evcc-defects.js";
import { addUiOptions } from "../dashboard/options.js";
import { parseOptions } from "../errors.js";
import { runEvFleetCommand } from "../fleet/cli.js";
import { checkFleetOptions, evFleetOptionShape } from "../fleet/options.js";
import { runEvHost } from "../live/ev-host.js";
import { LIVE_PAUSE_MAX_S } from "../live/pause-plan.js";
import { checkModeProtocols, openHostPcap, v2gCommonSchema } from "./evse.js";
import { checkEvTlsOptions, evTlsConfig, ocspModeSchema } from "./tls-options.js";

const MAX_S2_DELAY_S = EV_MAX_S2_CLOSE_DELAY_MS / 1000;

/** `--renew-days` at most: ten years, the validity of the test PKI's roots. Design choice (D). */
export const EV_MAX_RENEW_DAYS = 3650;

/** The -20 energy services `--service` names (ISO 15118-20 service IDs). */
export const EV_ISO20_SERVICES = ["dc", "dc-bpt", "ac", "ac-bpt"] as const;

/** `nacs ev --service dc-bpt|ac-bpt`: the start SOC when `--soc` is not given (%). Design choice (D). */
export const EV_BPT_DEFAULT_SOC = 80;

/** `--mode` a `--service` implies: ac for AC / AC_BPT, dc for DC / DC_BPT. */
export const serviceMode = (service: string): "ac" | "dc" => (service.startsWith("ac") ? "ac" : "dc");

/** A number of seconds, 0 to {@link LIVE_PAUSE_MAX_S}. */
const seconds = () => z.coerce.number().min(0).max(LIVE_PAUSE_MAX_S);

/** Options of `nacs ev`. */
export const evOptionsSchema = v2gCommonSchema
  .extend({
    trust: z.string().min(1).optional(),
    vehicleCert: z.string().min(1).optional(),
    vehicleKey: z.string().min(1).optional(),
    ocsp: ocspModeSchema,
    sdpTarget: z.string().min(1).optional(),
    batteryKwh: z.coerce.number().min(1).max(300).default(75),
    soc: z.coerce.number().min(0).max(100).default(30),
    targetSoc: z.coerce.number().min(0).max(100).default(80),
    evClass: z.enum(["400v", "800v"]).default("800v"),
    s2Delay: z.coerce.number().min(0).max(MAX_S2_DELAY_S).default(0),
    evProfile: z
      .enum(EV_PROFILE_NAMES, { error: `must be one of ${EV_PROFILE_NAMES.join(", ")}` })
      .default("default"),
    service: z
      .enum(EV_ISO20_SERVICES, { error: `must be one of ${EV_ISO20_SERVICES.join(", ")}` })
      .optional(),
    control: z.enum(["scheduled", "dynamic"], { error: 'must be "scheduled" or "dynamic"' }).optional(),
    pauseAfter: seconds().optional(),
    resumeAfter: seconds().optional(),
    minSoc: z.coerce.number().min(0).max(100).optional(),
    pki: z.string().min(1).optional(),
    payment: z
      .enum(["external", "contract"], { error: 'must be "external" or "contract"' })
      .default("external"),
    installContract: z.boolean().default(false),
    contractStore: z.string().min(1).optional(),
    renewDays: z.coerce.number().int().min(0).max(EV_MAX_RENEW_DAYS).optional(),
    sessions: z.coerce.number().int().min(0).default(1),
    defect: z
      .enum(EVCC_DEFECT_NAMES as [EvccDefectName, ...EvccDefectName[]], {
        error: `must be one of ${EVCC_DEFECT_NAMES.join(", ")}`,
      })
      .optional(),
    lab: z.boolean().default(false),
    ...evFleetOptionShape,
  })
  .superRefine((o, ctx) => {
    checkFleetOptions(o, "ev", ctx);
    if (o.defect !== undefined && !o.lab)
      ctx.addIssue({
        code: "custom",
        path: ["defect"],
        message: "test-only: injects a defect into the EVCC; refused without --lab (never in a real car)",
      });
    checkModeProtocols(o.mode, o.protocol, ctx);
    checkIso20Options(o, ctx);
    const profileProblem = evProfileProblem(o.evProfile, o.mode);
    if (profileProblem) ctx.addIssue({ code: "custom", path: ["evProfile"], message: profileProblem });
    checkEvTlsOptions(o, ctx);
    if (o.payment === "contract" && o.pki === undefined)
      ctx.addIssue({
        code: "custom",
        path: ["payment"],
        message: "contract needs --pki DIR (the contract chain and key)",
      });
    if (o.installContract && o.payment !== "contract")
      ctx.addIssue({
        code: "custom",
        path: ["installContract"],
        message: "needs --payment contract (the contract is installed to pay with it)",
      });
    for (const key of ["contractStore", "renewDays"] as const)
      if (o[key] !== undefined && o.payment !== "contract")
        ctx.addIssue({
          code: "custom",
          path: [key],
          message: "needs --payment contract (the contract the EV keeps and renews)",
        });
    if (o.payment === "contract" && !o.protocol.includes("iso2") && !o.protocol.includes("iso20"))
      ctx.addIssue({
        code: "custom",
        path: ["payment"],
        message: "contract needs iso2 or iso20 in --protocol (ISO 15118-2 / -20 Plug & Charge)",
      });
    // ISO 15118-20 CertificateInstallation is not implemented: installing needs ISO-2
    if (o.installContract && !o.protocol.includes("iso2"))
      ctx.addIssue({
        code: "custom",
        path: ["installContract"],
        message: "needs iso2 in --protocol (ISO 15118-2 CertificateInstallation)",
      });
    // a bidirectional EV runs from --soc down to --min-soc: the target SOC does not bind there
    if (!o.service?.endsWith("-bpt") && o.targetSoc <= o.soc)
      ctx.addIssue({
        code: "custom",
        path: ["targetSoc"],
        message: `must be greater than --soc (${o.soc}) and at most 100`,
      });
  });

/** `--service`, `--control`, `--pause-after`, `--resume-after`: their rules. */
function checkIso20Options(
  o: {
    mode: "dc" | "ac";
    protocol: string[];
    service?: string | undefined;
    control?: string | undefined;
    pauseAfter?: number | undefined;
    resumeAfter?: number | undefined;
    minSoc?: number | undefined;
    soc: number;
  },
  ctx: z.RefinementCtx,
): void {
  const issue = (key: string, message: string) => ctx.addIssue({ code: "custom", path: [key], message });
  const iso20 = o.protocol.includes("iso20");
  for (const key of ["service", "control"] as const)
    if (o[key] !== undefined && !iso20)
      issue(key, "needs iso20 in --protocol (the energy services and control modes are ISO 15118-20's)");
  if (o.service !== undefined) {
    if (serviceMode(o.service) !== o.mode)
      issue(
        "mode",
        `contradicts --service ${o.service}: an ${serviceMode(o.service).toUpperCase()} service runs in --mode ${serviceMode(o.service)}`,
      );
  }
  const bpt = o.service?.endsWith("-bpt") ?? false;
  if (o.minSoc !== undefined && !bpt) issue("minSoc", "needs --service dc-bpt or ac-bpt");
  if (bpt && (o.minSoc ?? EV_DEFAULT_MIN_SOC_PERCENT) >= o.soc)
    issue(
      "minSoc",
      `must be below --soc (${o.soc}): a bidirectional EV gives energy back down to it (min ${o.minSoc ?? EV_DEFAULT_MIN_SOC_PERCENT})`,
    );
  if (o.resumeAfter !== undefined && o.pauseAfter === undefined)
    issue("resumeAfter", "needs --pause-after (resume what was paused)");
}

/** Validated options of `nacs ev`. */
export type EvOptions = z.infer<typeof evOptionsSchema>;

/**
 * Validate raw options (UsageError naming the option, the value and the rule). A `--service` without
 * `--mode` sets the mode it implies; a `--mode` given that contradicts it is an error.
 */
export function parseEvOptions(raw: Record<string, unknown>): EvOptions {
  const implied =
    typeof raw.service === "string" &&
    raw.mode === undefined &&
    (EV_ISO20_SERVICES as readonly string[]).includes(raw.service)
      ? { mode: serviceMode(raw.service) }
      : {};
  // a bidirectional EV gives energy back from --soc down to --min-soc: it starts full unless told otherwise
  const bpt = typeof raw.service === "string" && raw.service.endsWith("-bpt") && raw.soc === undefined;
  return parseOptions(evOptionsSchema, { ...raw, ...implied, ...(bpt && { soc: EV_BPT_DEFAULT_SOC }) });
}

/** Our address for the SDP socket bound to "::": ::1 on loopback, else the link-local one (if any yet). */
function evLocalIp(iface: string, loop: boolean): string | undefined {
  if (loop) return "::1";
  try {
    return findLinkLocalAddress(iface);
  } catch {
    return undefined;
  }
}

/** Run `nacs ev`; resolves with the exit code. */
export async function runEv(o: EvOptions): Promise<number> {
  const log = stderrLogger(o.logLevel, "ev");
  const tls = await evTlsConfig(o);
  const localIp = evLocalIp(o.iface, isLoopback(o.iface));
  const pcap = openHostPcap(o, "ev", localIp ? { localIp } : {});
  try {
    return await runEvHost(o, log, tls, pcap);
  } finally {
    pcap?.close();
    if (pcap)
      log.info({ pcap: pcap.path, packets: pcap.recorder.frames }, `ev: pcap written to ${pcap.path}`);
  }
}

/** Register `nacs ev`. */
export function registerEvCommand(program: Command): void {
  addUiOptions(program.command("ev"))
    .description("run our EV (EVCC) against any EVSE on a network interface: SLAC, SDP, V2G session")
    .option("--iface <name>", "network interface (lo: loopback, SDP to ::1, needs --no-slac)")
    .option(
      "--protocol <list>",
      "protocols offered in priority order: din,iso2,iso20 (default iso2,din; iso20 = ISO 15118-20, DC or with --mode ac AC)",
    )
    .option("--mode <mode>", "dc or ac (default dc; --service implies it)")
    .option(
      "--service <name>",
      "with iso20 in --protocol: the energy service to select, dc (default), dc-bpt (bidirectional DC), ac or ac-bpt",
    )
    .option("--control <mode>", "with iso20 in --protocol: scheduled (default) or dynamic control mode")
    .option("--pki <dir>", "ISO 15118-2 Plug & Charge: the contract chain and key of a nacs pki init DIR")
    .option(
      "--install-contract",
      "with --payment contract --pki DIR: start without a contract and install one (CertificateInstallation with DIR's OEM provisioning certificate); a valid contract in --contract-store is used instead",
    )
    .option(
      "--contract-store <file|dir>",
      "with --payment contract: keep the contracts the EV installs or updates in FILE (or DIR/contracts.json; JSON, PKCS#8 keys, mode 0600); a valid one there is used first, also with --install-contract",
    )
    .option(
      "--renew-days <n>",
      `with --payment contract: ask for a CertificateUpdate when the contract expires within N days (default ${EVCC_CONTRACT_RENEW_DAYS})`,
    )
    .option(
      "--payment <option>",
      "external (default) or contract: with --pki, select Contract when the EVSE offers it (ISO 15118-2, TLS), or PnC (ISO 15118-20, TLS 1.3, DIR/iso20 contract)",
    )
    .option(
      "--min-soc <percent>",
      `with --service dc-bpt/ac-bpt: give energy back down to this SOC (default ${EV_DEFAULT_MIN_SOC_PERCENT})`,
    )
    .option(
      "--pause-after <seconds>",
      "pause the session (SessionStop Pause; DIN: stop) this long after the charge loop started",
    )
    .option(
      "--resume-after <seconds>",
      "with --pause-after: resume the paused session this long after the pause (same SessionID)",
    )
    .option("--tls", "require TLS (needs --trust ROOT.pem or --test-pki DIR)")
    .option(
      "--tls-version <v>",
      "with --tls: offer 1.2 (ISO 15118-2/DIN, default), 1.3 (ISO 15118-20, vehicle certificate) or both",
    )
    .option("--vehicle-cert <file>", "TLS 1.3: vehicle certificate chain for mutual TLS (PEM, leaf first)")
    .option("--vehicle-key <file>", "TLS 1.3: its private key (PEM)")
    .option("--trust <file>", "V2G root certificate(s) to trust (PEM)")
    .option("--test-pki <dir>", "trust DIR/v2g-root.pem of the EVSE's --test-pki DIR")
    .option("--tls-keylog <file>", "append TLS secrets (NSS key log) for Wireshark")
    .option(
      "--ocsp <mode>",
      "with --tls: OCSP stapling require, prefer or off (default): check the SECC leaf's status",
    )
    .option("--no-slac", "skip SLAC (plain Ethernet / loopback)")
    .option("--modem <kind>", "PLC modem: none (plain Ethernet, default) or qca")
    .option("--cp <kind>", "pilot: sim (kept for compatibility; the pilot is the board's)")
    .option(
      "--board <spec>",
      "DC: the board: sim[:SOCKET] (simulated, shared with nacs evse; default), stdio:CMD, serial:DEV[@baud], tcp:HOST:PORT, unix:PATH",
    )
    .option("--events <file>", "DC: write the session record (NDJSON) to FILE, - for stdout")
    .option("--seed <n>", "DC with the simulated board: component tolerances and noise")
    .option("--ev-class <class>", "DC: 800v (default) or 400v battery")
    .option("--ev-profile <name>", "a real car's wire behaviour: default or tesla (DIN, Tesla SAP offer, …)")
    .option(
      "--s2-delay <seconds>",
      `close S2 no earlier than this long after plug-in (legacy "delayed S2 closure"), 0–${MAX_S2_DELAY_S} s`,
    )
    .option("--sdp-target <addr>", "send SDP to this address instead of ff02::1 (default ::1 on lo)")
    .option("--sdp-port <n>", "UDP port of the SDP server (default 15118)")
    .option("--battery-kwh <kWh>", "battery capacity, 1–300 kWh (default 75)")
    .option("--soc <percent>", "start state of charge (default 30; 80 with --service dc-bpt|ac-bpt)")
    .option("--target-soc <percent>", "stop charging at this SOC, > --soc (default 80)")
    .option("--time-scale <n>", "model time runs N× faster than real time (default 1)")
    .option("--json", "print one JSON object")
    .option("--pcap <file>", "record SLAC, SDP and the V2G session as pcapng (TLS: decrypted payloads)")
    .option(
      "--sessions <n>",
      "run N sessions, a new one on each plug-in, then exit (default 1; 0 = until interrupted)",
    )
    .option("--log-level <level>", "pino log level on stderr (default warn)")
    .option(
      "--fleet <n>",
      "run N vehicles (DC, --no-slac): vehicle i pairs with charger i of nacs evse --fleet (SDP port --sdp-port + i, board --board sim:DIR → DIR/w<i>.sock); a summary at the end",
    )
    .option("--workers <n>", "with --fleet: worker processes (default: the cores)")
    .option(
      "--shard <k/s>",
      "with --fleet: run only vehicles i with i mod S = K (one process per machine; indices stay global)",
    )
    .option(
      "--plug-in-spread <seconds>",
      "with --fleet: plug-ins spread evenly over this long, in index order (default 10)",
    )
    .option(
      "--max-starting <n>",
      "with --fleet: at most N vehicles in session set-up (plug-in → charge loop) at once (default 50)",
    )
    .option(
      "--duration <seconds>",
      "with --fleet: each vehicle stops normally this long after its charge loop started (default: at --target-soc)",
    )
    .option(
      "--board-mux <tcp:HOST:PORT>",
      "with --fleet: the vehicles join the simulated cables of a charger park on another machine (nacs evse --fleet --board-mux) over TCP",
    )
    .option(
      "--board-mux-key <file>",
      "with --board-mux: the park's key (16+ bytes, e.g. openssl rand -hex 32 > FILE); both ends prove they hold it",
    )
    .option(
      "--charge-loop-ms <ms|min-max>",
      "with --fleet: the vehicles' pause between charge-loop requests, one for all or each its own in MIN-MAX (default 180-220: vehicles share no clock)",
    )
    .addOption(
      new Option(
        "--defect <name>",
        "TEST-ONLY: inject one named defect into the EVCC (the conformance harness's mutation check); needs --lab",
      ).hideHelp(),
    )
    .addOption(new Option("--lab", "TEST-ONLY: allow --defect").hideHelp())
    .action(async (raw: Record<string, unknown>) => {
      const o = parseEvOptions(raw);
      process.exitCode = o.fleet !== undefined ? await runEvFleetCommand(o) : await runEv(o);
    });
}
