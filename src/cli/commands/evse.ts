/**
 * `nacs evse --iface IF`: the J3400 EVSE controller (pilot, SLAC, SDP, SECC, safety supervisor) against any
 * EV on a network interface, DC or AC over ISO 15118-2 (`--mode`), with its hardware behind `--board`
 * (the simulated cable and power path by default). SLAC over a raw socket (unless `--no-slac`; `--modem
 * qca` drives a QCA7000-family modem), then SDP and the V2G session, `--sessions` times. Prints a summary
 * per session, or one JSON line each with `--json`. Exit 0 when no session tripped, 1 otherwise, 2 on bad
 * options.
 *
 * TLS: `--tls` with `--cert LEAF.pem --key LEAF.key [--chain SUBCAS.pem]`, or `--test-pki DIR`, which
 * writes a throwaway test PKI into DIR (tools/pki/make-test-pki.ts layout) unless one is there; give the
 * EV the same DIR (`nacs ev --tls --test-pki DIR`) so it trusts DIR/v2g-root.pem. `--tls-version 1.3|both`
 * serves ISO 15118-20 TLS 1.3 (tls-options.ts): `--tls13-cert/--tls13-key/--tls13-chain/--tls13-client-ca`, or
 * the -20 trees of the same test PKI (DIR/iso20-*.pem, added to an older DIR when missing). `--secc-chain DIR`
 * (repeatable) adds a chain per V2G root for the EV's trusted_ca_keys, `--ocsp-staple FILE` an OCSP staple
 * (tls-options.ts).
 *
 * ISO 15118-20: `--bidirectional` offers the BPT services (DC_BPT beside DC, AC_BPT beside AC; ISO 15118-20
 * service IDs), `--control scheduled,dynamic` the control modes offered as parameter sets (ControlMode 1/2).
 *
 * `--pcap FILE`: records the SLAC frames, SDP datagrams and V2G sessions as pcapng, one packet
 * written to the file as it happens (see {@link createHostPcapRecorder}; shared with `nacs ev`).
 */
import { closeSync, openSync, writeSync } from "node:fs";
import { networkInterfaces } from "node:os";
import { resolve } from "node:path";
import { type Command, Option } from "commander";
import { z } from "zod";
import { isLoopback, LOG_LEVELS, stderrLogger } from "../../link/host/cli-support.js";
import { SDP_SERVER_PORT, type V2gProtocol } from "../../v2g/index.js";
import { SECC_DEFECT_NAMES, type SeccDefectName } from "../../v2g/session/defects.js";
import { applyConfigFile } from "../config-file.js";
import { addUiOptions, uiOptionShape } from "../dashboard/options.js";
import { parseOptions, UsageError } from "../errors.js";
import { runEvseFleetCommand } from "../fleet/cli.js";
import { checkFleetOptions, fleetOptionShape } from "../fleet/options.js";
import { runEvseHost } from "../live/evse-host.js";
import { EVSE_OCPP_ID_TOKEN } from "../live/evse-ocpp.js";
import { createHostPcapRecorder, type HostPcapRecorder } from "../record-pcap.js";
import { addOcppOptions, checkOcppOptions, ocppOptionShape } from "./ocpp-options.js";
import { openOcppSeccStore, serveSeccStore } from "./ocpp-secc.js";
import { checkEvseTlsOptions, evseTlsConfig, tlsVersionSchema } from "./tls-options.js";

const protocolList = z
  .string()
  .transform((s) => s.split(",").map((x) => x.trim()))
  .pipe(
    z
      .array(z.enum(["din", "iso2", "iso20"], { error: 'each protocol must be "din", "iso2" or "iso20"' }))
      .min(1)
      .refine((a) => new Set(a).size === a.length, "a protocol is listed twice"),
  );

/** Options shared by `nacs evse` and `nacs ev` (raw commander values are coerced and checked). */
export const v2gCommonSchema = z.object({
  iface: z.string({ error: "required: the network interface, e.g. lo or eth1" }).min(1),
  protocol: protocolList.default(["iso2", "din"]),
  mode: z.enum(["dc", "ac"]).default("dc"),
  tls: z.boolean().default(false),
  testPki: z.string().min(1).optional(),
  tlsKeylog: z.string().min(1).optional(),
  tlsVersion: tlsVersionSchema,
  slac: z.boolean().default(true),
  modem: z.enum(["none", "qca"]).default("none"),
  cp: z.enum(["sim"], { error: 'must be "sim" (the pilot is the board\'s: see --board)' }).default("sim"),
  board: z.string().min(1).default("sim"),
  boardThread: z.boolean().default(false),
  events: z.string().min(1).optional(),
  seed: z.coerce.number().int().min(0).max(0xffffffff).optional(),
  sdpPort: z.coerce.number().int().min(1).max(65535).default(SDP_SERVER_PORT),
  timeScale: z.coerce.number().min(0.01).max(100_000).default(1),
  json: z.boolean().default(false),
  logLevel: z.enum(LOG_LEVELS).default("warn"),
  pcap: z.string().min(1).optional(),
  ...uiOptionShape,
});

/** `--mode ac` needs ISO 15118-2 or ISO 15118-20 (DIN 70121 is DC only). */
export function checkModeProtocols(mode: "dc" | "ac", protocols: V2gProtocol[], ctx: z.RefinementCtx): void {
  if (mode === "ac" && !protocols.includes("iso2") && !protocols.includes("iso20"))
    ctx.addIssue({
      code: "custom",
      path: ["protocol"],
      message: "--mode ac needs iso2 or iso20 in --protocol (DIN 70121 is DC only)",
    });
}

/** Options of `nacs evse`. */
export const evseOptionsSchema = v2gCommonSchema
  .extend({
    cert: z.string().min(1).optional(),
    key: z.string().min(1).optional(),
    chain: z.string().min(1).optional(),
    tls13Cert: z.string().min(1).optional(),
    tls13Key: z.string().min(1).optional(),
    tls13Chain: z.string().min(1).optional(),
    tls13ClientCa: z.string().min(1).optional(),
    tls13ClientCert: z
      .enum(["required", "optional"], { error: "must be required or optional" })
      .default("required"),
    seccChain: z.array(z.string().min(1)).optional(),
    ocspStaple: z.string().min(1).optional(),
    ocppV2gPki: z.string().min(1).optional(),
    port: z.coerce.number().int().min(0).max(65535).optional(),
    maxPowerKw: z.coerce.number().positive().max(1000).default(150),
    maxCurrent: z.coerce.number().positive().max(1000).optional(),
    sessions: z.coerce.number().int().min(0).default(1),
    chargerClass: z.enum(["500v", "1000v"]).default("1000v"),
    sessionIdBytes: z.coerce.number().int().min(1).max(8).default(8),
    sequenceTimeout: z.coerce.number().min(0.1).max(600).optional(),
    iso20WithoutTls: z.boolean().default(false),
    pki: z.string().min(1).optional(),
    pncWithoutTls: z.boolean().default(false),
    salesTariff: z.boolean().default(false),
    receiptRequired: z.boolean().default(false),
    bidirectional: z.boolean().default(false),
    control: z
      .string()
      .transform((s) => s.split(",").map((x) => x.trim()))
      .pipe(
        z
          .array(
            z.enum(["scheduled", "dynamic"], { error: 'each control mode must be "scheduled" or "dynamic"' }),
          )
          .min(1)
          .refine((a) => new Set(a).size === a.length, "a control mode is listed twice"),
      )
      .optional(),
    defect: z
      .enum(SECC_DEFECT_NAMES as [SeccDefectName, ...SeccDefectName[]], {
        error: `must be one of ${SECC_DEFECT_NAMES.join(", ")}`,
      })
      .optional(),
    lab: z.boolean().default(false),
    ...ocppOptionShape,
    ...fleetOptionShape,
  })
  .superRefine((o, ctx) => {
    checkFleetOptions(o, "evse", ctx);
    checkModeProtocols(o.mode, o.protocol, ctx);
    checkOcppOptions(o, ctx);
    if (o.defect !== undefined && !o.lab)
      ctx.addIssue({
        code: "custom",
        path: ["defect"],
        message: "test-only: injects a defect into the SECC; refused without --lab (never on a real charger)",
      });
    for (const key of ["bidirectional", "control"] as const)
      if ((o[key] === true || Array.isArray(o[key])) && !o.protocol.includes("iso20"))
        ctx.addIssue({
          code: "custom",
          path: [key],
          message: "needs iso20 in --protocol (ISO 15118-20 services and control modes)",
        });
    checkEvseTlsOptions(o, ctx);
    if (o.ocppV2gPki !== undefined && (o.ocpp === undefined || !o.tls || o.ocppVersion === "1.6"))
      ctx.addIssue({
        code: "custom",
        path: ["ocppV2gPki"],
        message: "needs --ocpp (OCPP 2.0.1) and --tls: the station manages the SECC's TLS certificate",
      });
    if (o.ocppV2gPki !== undefined && (o.cert !== undefined || o.testPki !== undefined))
      ctx.addIssue({
        code: "custom",
        path: ["ocppV2gPki"],
        message:
          "serves the default TLS 1.2 chain: leave out --cert / --test-pki (--secc-chain DIR adds chains)",
      });
    if (o.pki !== undefined && !o.protocol.includes("iso2") && !o.protocol.includes("iso20"))
      ctx.addIssue({
        code: "custom",
        path: ["pki"],
        message: "needs iso2 or iso20 in --protocol (ISO 15118-2 / -20 Plug & Charge)",
      });
    if (o.pncWithoutTls && o.pki === undefined)
      ctx.addIssue({ code: "custom", path: ["pncWithoutTls"], message: "needs --pki DIR" });
    if (o.salesTariff && o.pki === undefined)
      ctx.addIssue({
        code: "custom",
        path: ["salesTariff"],
        message: "needs --pki DIR (its MO Sub-CA 2 key signs the tariff)",
      });
    if (o.receiptRequired && !o.protocol.includes("iso2"))
      ctx.addIssue({
        code: "custom",
        path: ["receiptRequired"],
        message: "needs iso2 in --protocol (ReceiptRequired is an ISO 15118-2 field)",
      });
    if (o.mode === "ac" && o.maxCurrent !== undefined && o.maxCurrent > 80)
      ctx.addIssue({ code: "custom", path: ["maxCurrent"], message: "must be at most 80 A with --mode ac" });
  });

/** Validated options of `nacs evse`. */
export type EvseOptions = z.infer<typeof evseOptionsSchema>;

/** Validate raw options (UsageError naming the option, the value and the rule). */
export function parseEvseOptions(raw: Record<string, unknown>): EvseOptions {
  return parseOptions(evseOptionsSchema, raw);
}

/** How long a fresh link-local address may stay unusable (tentative during DAD) before we give up (ms). */
const LISTEN_RETRY_MS = 3000;

/** Retry `start` while the address is not yet usable (EADDRNOTAVAIL: still tentative). */
async function _listenRetrying<T>(start: () => Promise<T>): Promise<T> {
  const until = performance.now() + LISTEN_RETRY_MS;
  for (;;) {
    try {
      return await start();
    } catch (e) {
      if (!/EADDRNOTAVAIL/.test(String((e as Error).message)) || performance.now() > until) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** An open `--pcap` file of `nacs evse` / `nacs ev`. */
export interface HostPcapFile {
  recorder: HostPcapRecorder;
  path: string;
  /** Close the file (every packet is already written). */
  close(): void;
}

/** The interface's MAC, or undefined when it has none (loopback: all zero) or is unknown. */
function interfaceMac(iface: string): Uint8Array | undefined {
  const text = networkInterfaces()[iface]?.find((a) => a.mac && !/^(00:){5}00$/.test(a.mac))?.mac;
  return text ? Uint8Array.from(text.split(":"), (h) => Number.parseInt(h, 16)) : undefined;
}

/**
 * Open `--pcap FILE` (UsageError when it cannot be written) and start a recorder for `role` whose packets
 * go to the file one write per packet (a crash loses nothing already recorded); null without `--pcap`.
 */
export function openHostPcap(
  o: { pcap?: string | undefined; iface: string; tls: boolean },
  role: "ev" | "evse",
  extra: { localIp?: string; multicastSdp?: boolean } = {},
): HostPcapFile | null {
  if (o.pcap === undefined) return null;
  const path = resolve(o.pcap);
  let fd: number;
  try {
    fd = openSync(path, "w"); // no mkdir -p: Node 20's recursive mkdirSync spins forever under /proc
  } catch (e) {
    throw new UsageError(
      `option --pcap: cannot write ${JSON.stringify(o.pcap)}: ${(e as Error).message}`,
      "--pcap",
    );
  }
  const localMac = interfaceMac(o.iface);
  const recorder = createHostPcapRecorder((b) => writeSync(fd, b), {
    role,
    application: `nacs ${role}`,
    interfaceName: o.iface,
    ...(localMac ? { localMac } : {}),
    ...extra,
    tlsPlaintext: o.tls,
  });
  let open = true;
  return {
    recorder,
    path,
    close() {
      if (open) closeSync(fd);
      open = false;
    },
  };
}

/** Run `nacs evse`; resolves with the exit code. */
export async function runEvse(o: EvseOptions): Promise<number> {
  const log = stderrLogger(o.logLevel, "evse");
  if (o.defect !== undefined)
    process.stderr.write(`nacs evse: TEST-ONLY defect ${o.defect} injected into the SECC (--lab)\n`);
  let tls = await evseTlsConfig(o);
  const certs =
    o.ocppV2gPki !== undefined && o.ocpp !== undefined
      ? openOcppSeccStore(o.ocppV2gPki, o.ocpp, (level, msg) => log[level]({}, `ocpp: ${msg}`))
      : undefined;
  if (tls && certs) tls = serveSeccStore(tls, certs);
  const pcap = openHostPcap(o, "evse", { multicastSdp: !isLoopback(o.iface) });
  try {
    return await runEvseHost(o, log, tls, pcap, certs);
  } finally {
    pcap?.close();
    if (pcap)
      log.info({ pcap: pcap.path, packets: pcap.recorder.frames }, `evse: pcap written to ${pcap.path}`);
  }
}

/** Register `nacs evse`. */
export function registerEvseCommand(program: Command): void {
  addOcppOptions(addUiOptions(program.command("evse")), {
    paced: false,
    defaultIdToken: EVSE_OCPP_ID_TOKEN,
  })
    .description("run our EVSE (SECC) against any EV on a network interface: SLAC, SDP, V2G session")
    .option("--iface <name>", "network interface (lo: loopback on ::1, needs --no-slac)")
    .option(
      "--protocol <list>",
      "protocols offered, comma-separated: din,iso2,iso20 (default iso2,din; iso20 = ISO 15118-20 DC, plain TCP)",
    )
    .option("--mode <mode>", "dc or ac (default dc)")
    .option("--tls", "serve TLS (needs --cert/--key[/--chain] or --test-pki DIR)")
    .option(
      "--tls-version <v>",
      "with --tls: 1.2 (ISO 15118-2/DIN, default), 1.3 (ISO 15118-20: mutual TLS, P-521/Ed448) or both on one port",
    )
    .option("--cert <file>", "SECC leaf certificate (PEM)")
    .option("--key <file>", "SECC leaf private key (PEM)")
    .option("--chain <file>", "CPO sub-CA certificates (PEM), sent after the leaf")
    .option("--tls13-cert <file>", "TLS 1.3: SECC ISO 15118-20 leaf certificate (PEM, P-521 or Ed448)")
    .option("--tls13-key <file>", "TLS 1.3: its private key (PEM)")
    .option("--tls13-chain <file>", "TLS 1.3: its CPO sub-CA certificates (PEM), sent after the leaf")
    .option("--tls13-client-ca <file>", "TLS 1.3: OEM / V2G roots the vehicle certificate may chain to (PEM)")
    .option("--tls13-client-cert <policy>", "TLS 1.3: required (default) or optional vehicle certificate")
    .option(
      "--ocpp-v2g-pki <dir>",
      "with --ocpp (2.0.1) and --tls: serve DIR's SECC certificate (a nacs pki init DIR) and let the CSMS renew it (TriggerMessage SignV2GCertificate → SignCertificate → CertificateSigned; DIR's files replaced, *.old kept) and give its OCSP status (GetCertificateStatus), stapled",
    )
    .option("--test-pki <dir>", "use (or create) a throwaway test PKI in DIR; give the EV the same DIR")
    .option("--tls-keylog <file>", "append TLS secrets (NSS key log) for Wireshark")
    .option(
      "--secc-chain <dir>",
      "another SECC chain, anchored at DIR/v2g-root.pem (a nacs pki init or --test-pki DIR; repeatable): the EV's trusted_ca_keys picks one ([V2G2-871])",
      (v: string, prev: string[] | undefined) => [...(prev ?? []), v],
    )
    .option(
      "--ocsp-staple <file>",
      "OCSP response (DER) stapled for the default chain's leaf (re-read on each request)",
    )
    .option("--no-slac", "skip SLAC (plain Ethernet / loopback)")
    .option("--modem <kind>", "PLC modem: none (plain Ethernet, default) or qca")
    .option("--cp <kind>", "pilot: sim (kept for compatibility; the pilot is the board's)")
    .option(
      "--board <spec>",
      "DC: the board: sim[:SOCKET] (simulated, shared with nacs ev; default), stdio:CMD, serial:DEV[@baud], tcp:HOST:PORT, unix:PATH",
    )
    .option(
      "--board-thread",
      "run the board link (heartbeat, supervision, the output-off interlock) on its own thread, where session load cannot delay it",
    )
    .option("--events <file>", "DC: write the session record (NDJSON) to FILE, - for stdout")
    .option("--seed <n>", "DC with the simulated board: component tolerances and noise")
    .option("--charger-class <class>", "DC: 1000v (J3400, default) or 500v (legacy) power module")
    .option(
      "--session-id-bytes <n>",
      "length of the SessionIDs handed out, 1–8 (default 8; a Supercharger uses 4)",
    )
    .option(
      "--sequence-timeout <seconds>",
      "lab switch: V2G_SECC_Sequence_Timeout in seconds, 0.1–600 (default 60, the standard's)",
    )
    .option(
      "--iso20-without-tls",
      "lab switch: choose ISO 15118-20 on a connection that is not TLS 1.3 (the standard allows it only there)",
    )
    .option(
      "--pki <dir>",
      "ISO 15118-2 Plug & Charge: offer Contract payment (on TLS), trust DIR/mo-root.pem + DIR/v2g-root.pem, and install contracts with DIR's CPS leaf (a nacs pki init DIR); with iso20: offer PnC on TLS 1.3, trusting DIR/iso20/mo-root.pem + v2g-root.pem (nacs pki init DIR --iso20)",
    )
    .option("--pnc-without-tls", "lab switch: offer Contract payment on a connection without TLS")
    .option(
      "--sales-tariff",
      "with --pki DIR: send a SalesTariff signed with DIR's MO Sub-CA 2 key in Contract sessions (the EV verifies it)",
    )
    .option(
      "--receipt-required",
      "ISO 15118-2: ask for a MeteringReceiptReq after each CurrentDemandRes / ChargingStatusRes (ReceiptRequired) and refuse one that does not return the MeterInfo asked",
    )
    .option(
      "--bidirectional",
      "ISO 15118-20: offer DC_BPT (AC_BPT) besides DC (AC): bidirectional power transfer",
    )
    .option(
      "--control <list>",
      "ISO 15118-20: control modes offered as parameter sets, scheduled,dynamic (default both)",
    )
    .option("--port <n>", "TCP port (default random 49152–65535, advertised by SDP)")
    .option("--sdp-port <n>", "UDP port of the SDP server (default 15118)")
    .option("--max-power-kw <kW>", "DC power limit (default 150)")
    .option("--max-current <A>", "DC current limit (default 200) or AC current per phase (default 48)")
    .option(
      "--sessions <n>",
      "serve N sessions then exit (default 1; 0 = until interrupted); a session counts once supportedAppProtocol succeeded",
    )
    .option("--time-scale <n>", "model time runs N× faster than real time (default 1)")
    .option("--json", "print one JSON object per session")
    .option("--pcap <file>", "record SLAC, SDP and the V2G sessions as pcapng (TLS: decrypted payloads)")
    .option("--log-level <level>", "pino log level on stderr (default warn)")
    .addOption(
      new Option(
        "--defect <name>",
        "TEST-ONLY: inject one named defect into the SECC (the conformance harness's mutation check); needs --lab",
      ).hideHelp(),
    )
    .option(
      "--fleet <n>",
      "run N chargers (DC, --no-slac): charger i on SDP port --sdp-port + i, its own V2G port (--port + i when given) and board (--board sim:DIR → DIR/w<i>.sock); a summary when stopped",
    )
    .option("--workers <n>", "with --fleet: worker processes (default: the cores)")
    .option(
      "--shard <k/s>",
      "with --fleet: run only chargers i with i mod S = K (one process per machine; indices stay global)",
    )
    .option("--duration <seconds>", "with --fleet: stop after this long (default: at SIGINT / SIGTERM)")
    .option(
      "--board-mux <tcp:HOST:PORT>",
      "with --fleet: also serve the simulated cables over TCP (worker K on PORT + K), for an EV fleet on another machine",
    )
    .option(
      "--board-mux-key <file>",
      "with --board-mux: EV fleets must prove they hold this key (16+ bytes, e.g. openssl rand -hex 32 > FILE)",
    )
    .addOption(new Option("--lab", "TEST-ONLY: allow --defect").hideHelp())
    .option(
      "--config <file>",
      "JSON or YAML file of these options (keys: option names); flags given here win",
    )
    .action(async (raw: Record<string, unknown>, cmd: Command) => {
      const o = parseEvseOptions(applyConfigFile(raw, cmd));
      process.exitCode = o.fleet !== undefined ? await runEvseFleetCommand(o) : await runEvse(o);
    });
}
