import { dcBatteryConfig, EV_DEFAULT_OBC, evDcConfig, packTerminalV } from "../../ev/dc/index.js";
import { applyEvProfile, profileBattery } from "../../ev/profiles.js";
import { powerModuleConfig } from "../../evse/dc/index.js";
import { beforeStderrLog } from "../../link/host/cli-support.js";
import { startLiveEv } from "../../link/host/live-ev.js";
import type { LiveSessionSummary } from "../../link/host/live-session.js";
import type { TlsClientConfig } from "../../link/index.js";
import type { LinkLogger } from "../../link/logger.js";
import type { EvOptions } from "../commands/ev.js";
import type { HostPcapFile } from "../commands/evse.js";
import { sharedTarget, startLiveUi, withUiRecord } from "../dashboard/live-ui.js";
import { optionError } from "../errors.js";
import { startOperator } from "../operator.js";
import { onStopSignal } from "../stop-signal.js";
import { openBoard } from "./board.js";
import { formatEvContract, persistNewContract, planEvContract, settleEvContract } from "./ev-contract.js";
import { openEventsSink } from "./events.js";
import { normalEnd } from "./evse-host.js";
import { createPausePlan } from "./pause-plan.js";
import { evContract20 } from "./pnc20-load.js";
import { startProgressLine } from "./progress.js";
import { random, slacLink } from "./slac-link.js";
import { formatLiveSummary, liveSummaryJson } from "./summary.js";

/** After the session, the simulated cable is pulled this long before the process leaves (ms). Design choice. */
const LIVE_EV_LEAVE_MS = 300;

/** Run `nacs ev` on the EV controller (DC, or AC over ISO 15118-2); resolves with the exit code. */
export async function runEvHost(
  o: EvOptions,
  log: LinkLogger,
  tls: TlsClientConfig | undefined,
  pcap: HostPcapFile | null,
): Promise<number> {
  // ISO 15118-2 Plug & Charge: the contract of the store or of a `nacs pki init` directory, or none to install
  const epochS = Math.floor(Date.now() / 1000);
  const contractPlan =
    o.payment === "contract" && o.pki !== undefined
      ? await planEvContract(
          {
            pki: o.pki,
            installContract: o.installContract,
            contractStore: o.contractStore,
            renewDays: o.renewDays,
          },
          epochS,
          log,
        )
      : undefined;
  // ISO 15118-20 Plug & Charge: the P-521 contract of DIR/iso20
  const contract20 = await evContract20(o);
  const battery = profileBattery(o.evProfile, dcBatteryConfig(o.evClass, o.batteryKwh));
  const board = await openBoard(
    "ev",
    o.board,
    {
      module: powerModuleConfig(),
      battery,
      socPercent: o.soc,
      seed: o.seed ?? null,
      energyTimeScale: o.timeScale,
      obcMaxCurrentA: EV_DEFAULT_OBC.maxCurrentA,
    },
    log,
  );
  const events = openEventsSink(o.events);
  const ui = await startLiveUi(o, "ev");
  const onRecord = withUiRecord(events ? (e) => events.write(e) : undefined, ui);
  const { slac, mac, close: closeSlac } = slacLink(o, pcap);
  let live: Awaited<ReturnType<typeof startLiveEv>> | undefined;
  // --sessions N (≠ 1): every session's summary as it ends; done after N (0: when interrupted)
  const sessions: LiveSessionSummary[] = [];
  let allDone!: () => void;
  const allOver = new Promise<void>((r) => {
    allDone = r;
  });
  if (o.defect !== undefined)
    process.stderr.write(`nacs ev: TEST-ONLY defect ${o.defect} injected into the EVCC (--lab)\n`);
  const plan = createPausePlan(
    { pauseAfterS: o.pauseAfter, resumeAfterS: o.resumeAfter },
    (input) => {
      log.info({}, `ev: ${input} (--${input}-after)`);
      live?.push({ kind: input });
    },
    { setTimeout: (f, ms) => setTimeout(f, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) },
  );
  try {
    live = await startLiveEv({
      config: applyEvProfile(
        o.evProfile,
        evDcConfig({
          battery,
          slac: { mac, random, modem: o.slac ? o.modem : "none" },
          evcc: {
            protocols: o.protocol,
            ...(o.control && { iso20ControlMode: o.control }),
            ...(o.service?.endsWith("-bpt") && { bidirectional: true }),
            ...(contractPlan && { pnc: contractPlan.pnc, epochS }),
            ...(contract20 && { contract20, epochS }),
            ...(o.defect !== undefined && { defect: o.defect }), // TEST-ONLY (--defect, --lab)
          },
          energy: o.mode,
          targetSocPercent: o.targetSoc,
          // a bidirectional EV gives energy back from the start, down to its minimum SOC (ISO 15118-20 BPT)
          ...(o.service?.endsWith("-bpt") && { discharge: true }),
          ...(o.minSoc !== undefined && { minSocPercent: o.minSoc }),
          s2CloseDelayMs: o.s2Delay * 1000,
          matching: o.slac ? "slac" : "none",
          tls: o.tls,
        }),
      ),
      socPercent: o.soc,
      ...(board.port.name.startsWith("sim") ? { energyTimeScale: o.timeScale } : {}),
      batteryVoltageV: packTerminalV(battery, o.soc, 0),
      board: board.port,
      network: {
        iface: o.iface,
        slac,
        modem: o.slac ? o.modem : "none",
        hostMac: mac,
        sdpServerPort: o.sdpPort,
        ...(o.sdpTarget !== undefined ? { sdpTarget: o.sdpTarget } : {}),
        ...(tls ? { tls } : {}),
        ...(pcap ? { tap: pcap.recorder.tap } : {}),
        logger: log,
      },
      ...(onRecord ? { onRecord } : {}),
      onPhase: (p) => plan.onEvPhase(p),
      onSessionPhase: (p) => {
        plan.onSessionPhase(p);
        // a contract installed or updated in this session is stored now, not only at the end
        if (contractPlan && live)
          persistNewContract(contractPlan, live.host.state().evcc, Math.floor(Date.now() / 1000), log);
      },
      ...(o.sessions !== 1 && {
        onSession: (summary: LiveSessionSummary) => {
          sessions.push(summary);
          process.stdout.write(
            o.json ? `${JSON.stringify(liveSummaryJson(summary))}\n` : formatLiveSummary(summary),
          );
          if (o.sessions > 0 && sessions.length >= o.sessions) allDone();
        },
      }),
      logger: log,
    });
  } catch (e) {
    plan.cancel();
    closeSlac();
    await board.close();
    events?.close();
    await ui?.close();
    throw optionError(e, "--iface", o.iface);
  }
  /** `--sessions N|0`: wait for N sessions (or the signal), then leave as after one. */
  const severalSessions = async (): Promise<number> => {
    await allOver;
    plan.cancel();
    progress.stop();
    stopClearing();
    stopListening();
    stopOperator();
    if (board.world?.cable.plugged) board.world.unplug();
    await live.close();
    closeSlac();
    await board.close();
    events?.close();
    await ui?.close();
    return sessions.every(normalEnd) ? 0 : 1;
  };
  const stopOperator = startOperator(
    process.stdin,
    sharedTarget({ role: "ev", push: (ev) => live.push(ev as never), world: board.world }, ui),
    (line, r) => {
      if (r.ok) log.info({ line }, `ev: ${r.did}`);
      else process.stderr.write(`nacs ev: ${r.error}\n`);
    },
  );
  const progress = startProgressLine({
    stderr: process.stderr,
    stdout: process.stdout,
    stdoutLines: o.json || o.events === "-",
    sample: () => live.progress(),
  });
  const stopClearing = beforeStderrLog(() => progress.clear());
  const stopListening = onStopSignal(() => {
    live.push({ kind: "stop" });
    allDone();
  });
  if (o.sessions !== 1) return await severalSessions();
  const s = await live.done;
  plan.cancel();
  progress.stop();
  stopClearing();
  stopListening();
  stopOperator();
  const contract =
    contractPlan &&
    (await settleEvContract(contractPlan, live.host.state().evcc, Math.floor(Date.now() / 1000), log));
  process.stdout.write(
    o.json
      ? `${JSON.stringify({ ...liveSummaryJson(s), ...(contract && { contract }) })}\n`
      : formatLiveSummary(s) + (contract ? formatEvContract(contract) : ""),
  );
  if (board.world?.cable.plugged) {
    board.world.unplug();
    await new Promise((r) => setTimeout(r, LIVE_EV_LEAVE_MS));
  }
  await live.close();
  closeSlac();
  await board.close();
  events?.close();
  await ui?.close();
  return normalEnd(s) ? 0 : 1;
}
