import { dcBatteryConfig } from "../../ev/dc/index.js";
import { EVSE_DEFAULT_AC_SUPPLY, evseDcConfig, powerModuleConfig } from "../../evse/dc/index.js";
import { formatInterlockTally, startBoardThread } from "../../link/board/board-thread.js";
import { beforeStderrLog, seccListenAddress } from "../../link/host/cli-support.js";
import { EV_NORMAL_STOP_REASONS } from "../../link/host/live-ev.js";
import { startLiveEvse } from "../../link/host/live-evse.js";
import type { LiveSessionSummary } from "../../link/host/live-session.js";
import { formatConnectionTally } from "../../link/host/network/index.js";
import type { RecordEvent } from "../../link/host/record.js";
import type { TlsServerConfig } from "../../link/index.js";
import type { LinkLogger } from "../../link/logger.js";
import type { SeccCertStore } from "../../link/ocpp/secc-certs.js";
import { ISO2_SCHEDULE_DURATION_S } from "../../v2g/iso2/secc/charge-parameter-discovery.js";
import type { EvseOptions, HostPcapFile } from "../commands/evse.js";
import { tlsVersionLabel } from "../commands/tls-options.js";
import { sharedTarget, startLiveUi, withUiRecord } from "../dashboard/live-ui.js";
import { optionError } from "../errors.js";
import { startOperator } from "../operator.js";
import { onStopSignal } from "../stop-signal.js";
import { type LiveWorldSettings, openBoard, openBoardOnThread } from "./board.js";
import { sha256Hex } from "./ev-contract.js";
import { openEventsSink } from "./events.js";
import { type EvseOcpp, formatEvseOcppReport, ocppSeccReadings, startEvseOcpp } from "./evse-ocpp.js";
import { seccPnc20 } from "./pnc20-load.js";
import { type ProgressLine, startProgressLine } from "./progress.js";
import { seccSettingsOf } from "./secc-options.js";
import { random, slacLink } from "./slac-link.js";
import { formatLiveSummary, liveSummaryJson } from "./summary.js";

/** After the last session, how long the EVSE hosting the simulated cable waits for the EV to leave (ms). */
export const LIVE_EVSE_EV_LEAVE_WAIT_MS = 10_000;
/** How often it looks (ms). */
const LEAVE_POLL_MS = 20;

/**
 * A session ended normally: EVSE, no safety trip; EV, one of {@link EV_NORMAL_STOP_REASONS} (its target
 * reached, the driver or the EVSE stopped in an orderly way — not the charger's emergency shutdown).
 */
export function normalEnd(s: LiveSessionSummary): boolean {
  if (s.safety.length > 0 || s.stopReason === null) return false;
  return s.side === "secc" || EV_NORMAL_STOP_REASONS.includes(s.stopReason);
}

/**
 * A session counts towards `--sessions` once supportedAppProtocol succeeded on it (a protocol was
 * negotiated): a plug-in without one, or a stray connection, is reported but does not use up a session.
 */
export function countsAsSession(s: LiveSessionSummary): boolean {
  return s.protocol !== null;
}

/** AC supply voltage of `nacs evse --mode ac` (V RMS): 240 V split phase (J3400 AC: typical 120/240 V, as reported by evmagz.com). */
export const LIVE_EVSE_AC_SUPPLY_V = 240;

/** Run `nacs evse` on the EVSE controller (DC, or AC over ISO 15118-2); resolves with the exit code. */
export async function runEvseHost(
  o: EvseOptions,
  log: LinkLogger,
  tls: TlsServerConfig | undefined,
  pcap: HostPcapFile | null,
  /** `--ocpp-v2g-pki`: the SECC certificate the OCPP station manages (A02 / A03, M06). */
  certs?: SeccCertStore,
): Promise<number> {
  // ISO 15118-2 Plug & Charge: the roots of a `nacs pki init` directory (the PKI module loads on first use)
  const pncMaterial = o.pki
    ? await (await import("../../link/pki/index.js")).loadPncMaterial(o.pki)
    : undefined;
  // the local CPS answering CertificateInstallation / CertificateUpdate with DIR's CPS leaf and contract, and
  // a renewal contract (same eMAID, new leaf by DIR's MO Sub-CA 2) for CertificateUpdate
  const cps = o.pki
    ? await (await import("../../link/pki/index.js")).loadLocalCpsWithRenewal(o.pki)
    : undefined;
  // ISO 15118-20 Plug & Charge: DIR/iso20 (P-521), offered on TLS 1.3 only
  const pnc20 = await seccPnc20(o, (n) => new Uint8Array(random(n)));
  const pnc = pncMaterial && {
    moRoots: pncMaterial.moRoots,
    v2gRoots: pncMaterial.v2gRoots,
    randomBytes: (n: number) => new Uint8Array(random(n)),
    withoutTls: o.pncWithoutTls,
    ...(o.salesTariff &&
      o.pki && {
        salesTariff: (await import("../../link/pki/index.js")).loadSignedSalesTariff(
          o.pki,
          ISO2_SCHEDULE_DURATION_S,
        ),
      }),
  };
  const module = powerModuleConfig(
    o.chargerClass,
    o.maxPowerKw * 1000,
    o.maxCurrent ? { maxCurrentA: o.maxCurrent } : {},
  );
  const boardThread = o.boardThread ? startBoardThread() : null;
  const boardSettings = {
    module,
    battery: dcBatteryConfig(),
    socPercent: 30,
    seed: o.seed ?? null,
    energyTimeScale: o.timeScale,
    supply: o.mode === "ac" ? { kind: "ac", voltageV: LIVE_EVSE_AC_SUPPLY_V } : { kind: "dc" },
  } satisfies LiveWorldSettings;
  const board = boardThread
    ? await openBoardOnThread(boardThread, "evse", o.board, boardSettings, log)
    : await openBoard("evse", o.board, boardSettings, log);
  const events = openEventsSink(o.events);
  const ui = await startLiveUi(o, "evse");
  const onRecord = withUiRecord(events ? (e) => events.write(e) : undefined, ui);
  const { slac, mac, close: closeSlac } = slacLink(o, pcap);
  const summaries: LiveSessionSummary[] = [];
  let done!: () => void;
  const finished = new Promise<void>((r) => {
    done = r;
  });
  let boardLost = false;
  let signalled = false;
  let live: Awaited<ReturnType<typeof startLiveEvse>>;
  let host: string;
  // ISO-2 Contract payment: the contract PaymentDetailsReq presented and the SECC validated, this session
  let paid: { leaf: Uint8Array; emaid: string } | undefined;
  let progress: ProgressLine = { clear() {}, stop() {} };
  try {
    host = await seccListenAddress(o.iface);
    pcap?.recorder.learn({ localIp: host });
    live = await startLiveEvse({
      config: (sdp) =>
        evseDcConfig({
          module,
          pins: o.mode,
          ac: {
            nominalVoltageV: LIVE_EVSE_AC_SUPPLY_V,
            maxCurrentA: o.maxCurrent ?? EVSE_DEFAULT_AC_SUPPLY.maxCurrentA,
          },
          slac: { mac, random, modem: o.slac ? o.modem : "none" },
          sdp,
          matching: o.slac ? "slac" : "none",
          secc: {
            ...seccSettingsOf(o),
            ...(pnc && { pnc }),
            ...(pnc20 && { pnc20 }),
            // with a CSMS the CPS is behind it (OCPP Get15118EVCertificate); DIR's CPS only answers without one
            ...(cps && (o.ocpp !== undefined ? { cpsBackend: true } : { cps })),
            ...(o.defect !== undefined && { defect: o.defect }), // TEST-ONLY (--defect, --lab)
            ...(o.ocpp !== undefined && { readings: ocppSeccReadings() }),
          },
        }),
      board: board.port,
      network: {
        iface: o.iface,
        slac,
        modem: o.slac ? o.modem : "none",
        hostMac: mac,
        sdpPort: o.sdpPort,
        v2g: {
          host,
          ...(o.port !== undefined ? { port: o.port, allowAnyPort: true } : {}),
          ...(tls ? { tls } : {}),
        },
        ...(pcap ? { tap: pcap.recorder.tap } : {}),
        logger: log,
      },
      ...(onRecord || cps
        ? {
            onRecord: (e: RecordEvent) => {
              onRecord?.(e);
              // the SECC starts afresh once the EV has gone: note the contract while the session runs
              if (e.type === "msg") paid = live?.host.state().secc.payment?.contract ?? paid;
            },
          }
        : {}),
      onSession(s) {
        summaries.push(s);
        progress.clear();
        const contract = paid && { emaid: paid.emaid, leafSha256: sha256Hex(paid.leaf) };
        paid = undefined;
        process.stdout.write(
          o.json
            ? `${JSON.stringify({ ...liveSummaryJson(s), ...(contract && { contract }) })}\n`
            : formatLiveSummary(s) +
                (contract
                  ? `  contract  eMAID ${contract.emaid}, leaf SHA-256 ${contract.leafSha256}\n`
                  : ""),
        );
        if (o.sessions > 0 && summaries.filter(countsAsSession).length >= o.sessions) done();
      },
      onBoardLost(detail) {
        boardLost = true;
        process.stderr.write(`nacs evse: board lost (${detail}): no more sessions\n`);
        done();
      },
      logger: log,
    });
  } catch (e) {
    closeSlac();
    await board.close();
    await boardThread?.close();
    events?.close();
    await ui?.close();
    throw optionError(e, "--iface", o.iface, "cannot serve: ");
  }
  // --ocpp: registered with the CSMS (B01) before the charger says it is ready for EVs
  let ocpp: EvseOcpp | null = null;
  if (o.ocpp !== undefined)
    try {
      ocpp = await startEvseOcpp(
        { ...o, ocpp: o.ocpp },
        live,
        (level, msg) => log[level]({}, `ocpp: ${msg}`),
        { pnc: o.pki !== undefined, ...(certs && { certificates: certs }) },
      );
    } catch (e) {
      await live.close();
      closeSlac();
      await board.close();
      await boardThread?.close();
      events?.close();
      await ui?.close();
      throw optionError(e, "--ocpp", o.ocpp, "cannot connect: ");
    }
  // listening for SIGINT / SIGTERM before saying it is ready (a script may signal as soon as it reads that)
  const stopListening = onStopSignal(() => {
    signalled = true;
    done();
  });
  log.info(
    { host, port: live.network.v2gPort, sdpPort: live.network.sdpPort, board: board.port.name },
    `evse ready: ${live.network.transport} on [${host}]:${live.network.v2gPort}, SDP on UDP ${live.network.sdpPort}, board ${board.port.name}`,
  );
  // Always said, whatever the log level: what this charger serves, and where.
  process.stderr.write(`${readyLine(o, host, live.network, board.port.name)}\n`);
  progress = startProgressLine({
    stderr: process.stderr,
    stdout: process.stdout,
    stdoutLines: o.json || o.events === "-",
    sample: () => live.progress(),
  });
  const stopClearing = beforeStderrLog(() => progress.clear());
  const stopOperator = startOperator(
    process.stdin,
    sharedTarget(
      {
        role: "evse",
        push: (ev, at) => live.push(ev as never, at),
        now: () => live.now(),
        world: board.world,
      },
      ui,
    ),
    (line, r, at) => {
      if (r.ok) log.info({ line, receivedAtMs: at }, `evse: ${r.did}`);
      else process.stderr.write(`nacs evse: ${r.error}\n`);
    },
  );
  await finished;
  progress.stop();
  stopClearing();
  stopOperator();
  if (board.world && !boardLost && !signalled) await evLeft(board.world, () => signalled);
  stopListening();
  const ocppReport = await ocpp?.finish();
  if (ocppReport) process.stderr.write(formatEvseOcppReport(ocppReport));
  await live.close();
  const tally = live.network.connections;
  if (tally.accepted > 0)
    process.stderr.write(`nacs evse: V2G connections: ${formatConnectionTally(tally)}\n`);
  closeSlac();
  await board.close();
  if (boardThread && boardThread.interlocks.length > 0)
    process.stderr.write(
      `nacs evse: board-thread interlock actions: ${formatInterlockTally(boardThread.interlocks)}\n`,
    );
  await boardThread?.close();
  events?.close();
  await ui?.close();
  const ocppClean = !ocppReport || ocppReport.schemaFailures.length === 0;
  return !boardLost && ocppClean && summaries.every(normalEnd) ? 0 : 1;
}

/** "TLS 1.2", "TLS 1.3, vehicle certificate required", "TLS 1.2 + 1.3, vehicle certificate optional". */
function tlsLabel(o: Partial<Pick<EvseOptions, "tlsVersion" | "tls13ClientCert">>): string {
  const label = tlsVersionLabel(o.tlsVersion);
  return o.tlsVersion === "1.3" || o.tlsVersion === "both"
    ? `${label}, vehicle certificate ${o.tls13ClientCert ?? "required"}`
    : label;
}

/** The start-up line of `nacs evse` (stderr): interface, addresses, ports, protocols, TLS, board, mode. */
export function readyLine(
  o: Pick<EvseOptions, "iface" | "protocol" | "mode" | "slac" | "modem"> &
    Partial<Pick<EvseOptions, "tlsVersion" | "tls13ClientCert">>,
  host: string,
  net: { transport: string; v2gPort: number; sdpPort: number },
  board: string,
): string {
  const slac = o.slac ? `SLAC (modem ${o.modem})` : "no SLAC";
  return (
    `nacs evse: ready on ${o.iface}: ${o.mode.toUpperCase()}, ${o.protocol.join(",")}, V2G ${net.transport}` +
    `${net.transport === "tls" ? ` (${tlsLabel(o)})` : " (no TLS)"} on [${host}]:${net.v2gPort}, SDP UDP ${net.sdpPort}, ${slac}, board ${board}`
  );
}

/**
 * The simulated cable hosted here: resolves once no EV is plugged in (its host left or was lost), or after
 * {@link LIVE_EVSE_EV_LEAVE_WAIT_MS}, or when `interrupted()`.
 */
async function evLeft(world: { cable: { plugged: boolean } }, interrupted: () => boolean): Promise<void> {
  for (let waited = 0; world.cable.plugged && !interrupted() && waited < LIVE_EVSE_EV_LEAVE_WAIT_MS; ) {
    await new Promise((r) => setTimeout(r, LEAVE_POLL_MS));
    waited += LEAVE_POLL_MS;
  }
}
