/**
 * The DC session `nacs simulate` runs: the scenario of `--scenario` / `--scenario-string`, the Plug & Charge
 * material of `--payment contract`, and the session built from the options (scenario options override the
 * flags), with the driver that runs the scenario or, with `--ui`, takes commands while it runs.
 */
import { readFileSync } from "node:fs";
import {
  CERT_FAULT_START,
  DcSession,
  type DcSessionOptions,
  type DcSimPnc,
  type SessionDriver,
} from "../../sim/dc/index.js";
import type { RecordEvent } from "../../sim/record/index.js";
import {
  InteractiveDriver,
  parseScenarioText,
  type Scenario,
  ScenarioError,
  ScenarioRunner,
  scenarioKindOf,
} from "../../sim/scenario/index.js";
import { UsageError } from "../errors.js";
import { contractPayment, type SimulateOptions } from "./simulate-options.js";

/** The scenario of `--scenario FILE` / `--scenario-string`, or an empty one. Throws UsageError. */
export function scenarioFor(o: SimulateOptions): Scenario {
  const flag = o.scenario !== undefined ? "--scenario" : "--scenario-string";
  try {
    if (o.scenarioString !== undefined) return parseScenarioText(o.scenarioString, "txt");
    if (o.scenario === undefined) return { options: {}, steps: [], commands: [] };
    let text: string;
    try {
      text = readFileSync(o.scenario, "utf8");
    } catch (err) {
      throw new UsageError(
        `option --scenario: cannot read ${JSON.stringify(o.scenario)}: ${(err as Error).message}`,
        "--scenario",
      );
    }
    return parseScenarioText(text, scenarioKindOf(o.scenario) ?? "json");
  } catch (err) {
    if (err instanceof ScenarioError)
      throw new UsageError(`option ${flag}: ${err.message}`, flag, { cause: err });
    throw err;
  }
}

/** Unix time of a simulated Plug & Charge session with an issued PKI (the SECC's default epoch). */
export const SIM_PNC_EPOCH_S = 1_700_000_000;

/**
 * The Plug & Charge material of `nacs simulate --payment contract`: `--pki DIR` (a `nacs pki init` tree,
 * the session then runs at the current time), else a PKI issued now for the simulator's epoch.
 */
export async function simulatePnc(o: SimulateOptions): Promise<DcSimPnc | undefined> {
  if (!contractPayment(o)) return undefined;
  const pki = await import("../../link/pki/index.js");
  // the certificate faults (CertificateInstallation / CertificateUpdate) also need the OEM and CPS material
  const cert = o.installContract || (o.fault !== undefined && o.fault in CERT_FAULT_START);
  // how the EV comes by its contract, and whether the CPS is the CSMS's (OCPP Get15118EVCertificate)
  const how = {
    ...(o.installContract && { start: "install" as const }),
    ...(o.ocpp !== undefined && { cpsBackend: true }),
  };
  if (o.pki !== undefined) {
    const now = new Date();
    return {
      ...(await pki.loadPncMaterial(o.pki)),
      epochS: Math.floor(now.getTime() / 1000),
      ...(cert && { provisioning: await pki.loadPncProvisioning(o.pki, now) }),
      ...how,
    };
  }
  const now = new Date(SIM_PNC_EPOCH_S * 1000);
  const issued = await pki.issuePncPki({ now });
  return {
    ...(await pki.materialFromPki(issued)),
    epochS: SIM_PNC_EPOCH_S,
    ...(cert && { provisioning: await pki.provisioningFromPki(issued, now) }),
    ...how,
  };
}

/**
 * The DC session described by the options (scenario options override the flags). `interactive` (with
 * `--ui`): the session's driver takes commands while it runs (plug-in, scenario files from the dashboard).
 */
export function dcSessionFor(
  o: SimulateOptions,
  onRecord?: (e: RecordEvent) => void,
  extra: Partial<DcSessionOptions> = {},
  interactive = false,
): DcSession {
  const scenario = scenarioFor(o);
  const driver = interactive
    ? new InteractiveDriver(scenario.commands)
    : scenario.commands.length > 0
      ? new ScenarioRunner(scenario.commands)
      : undefined;
  try {
    return newDcSession(o, scenario, driver, onRecord, extra);
  } catch (err) {
    // a command the session's protocol cannot run (checked when the script is attached)
    if (!(err instanceof ScenarioError)) throw err;
    const flag = o.scenario !== undefined ? "--scenario" : "--scenario-string";
    throw new UsageError(`option ${flag}: ${err.message}`, flag, { cause: err });
  }
}

function newDcSession(
  o: SimulateOptions,
  scenario: Scenario,
  driver: SessionDriver | undefined,
  onRecord: ((e: RecordEvent) => void) | undefined,
  extra: Partial<DcSessionOptions>,
): DcSession {
  return new DcSession({
    batteryKwh: o.batteryKwh,
    socStart: o.soc,
    targetSoc: o.targetSoc,
    chargerKw: o.chargerKw,
    protocol: o.protocol,
    ...(o.protocol === "iso20" && { control: o.control ?? "scheduled" }),
    ...(o.service !== undefined && { service: o.service }),
    ...(o.minSoc !== undefined && { minSoc: o.minSoc }),
    chargerVariant: o.chargerClass,
    evClass: o.evClass,
    seed: o.seed,
    ...(o.mode === "ac" && { energy: "ac", acMaxCurrentA: o.maxCurrent, acSupplyV: o.supplyVoltage }),
    ...(o.fault !== undefined && { fault: o.fault }),
    ...(o.s2Delay !== undefined && { s2CloseDelayMs: o.s2Delay * 1000 }),
    ...(o.evProfile !== "default" && { evProfile: o.evProfile }),
    ...(o.chargeLoopMs !== undefined && { evConfig: { currentDemandIntervalMs: o.chargeLoopMs } }),
    ...(o.timeScale !== undefined && { energyTimeScale: o.timeScale }),
    ...(o.measureMs !== undefined && { slowMeasureMs: o.measureMs }),
    script: scenario.steps,
    ...scenario.options,
    ...(onRecord && { onRecord }),
    ...(driver && { driver }),
    ...extra,
  });
}
