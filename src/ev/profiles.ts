/**
 * Vehicle profiles: how particular real cars behave on the wire, applied over an EV controller
 * configuration. A profile changes only what a charger can observe (the supportedAppProtocol offer, the
 * SLAC RunID, which optional DIN fields are sent, padding, the end of the session, the pack's declared
 * limits); the controller stays the same.
 *
 * Tesla (DIN SPEC 70121 DC). Evidence: public captures of Tesla cars at DIN chargers — EVerest/logfiles
 * `Tesla/Model_3/2023-04-06…-tesla_model_3_dinspec_DC` and `Tesla/Model_Y_11.1/din_spec_70121/…`, and
 * uhi22/pyPLC `results/2024-04-20_ModelY_pyPLC_stop_in_precharge.pcapng` and
 * `results/2025-07-22_pyPLC_with_tesla_model_x_plaid_until_charging_loop.pcapng` (the SAP request is also
 * pyPLC `exiConnector.py` `exiHexDemoSupportedApplicationProtocolRequestTesla`). In every one of them:
 * - supportedAppProtocolReq lists `urn:din:70121:2012:MsgDef` 2.0 (SchemaID 1, Priority 2) first and
 *   `urn:tesla:din:2018:MsgDef` 0.7 (SchemaID 2, Priority 1) second; DIN chargers choose SchemaID 1;
 * - the SLAC RunID is ASCII "TESLA EV" in every attempt;
 * - ContractAuthenticationReq carries one zero byte after the EXI stream, counted in the V2GTP length
 *   (2023–2024 Model 3/Y; a 2025 Model X does not pad);
 * - ChargeParameterDiscoveryReq has no EVEnergyCapacity, EVEnergyRequest, FullSOC or BulkSOC;
 *   CurrentDemandReq has no BulkChargingComplete or RemainingTimeTo…SoC; EVTargetVoltage = the maximum;
 * - PowerDelivery(ReadyToChargeState false) is followed by SessionStop, without WeldingDetection;
 * - a 400 V-class pack: EVMaximumVoltageLimit 423 V, EVMaximumCurrentLimit 549 A, EVMaximumPowerLimit
 *   232 kW (Model 3).
 * The captures show the car waiting for 5 % PWM before SLAC (272–386 ms after it), so the profile keeps
 * the controller's SLAC start; the claim that Tesla cars start SLAC before state B is not borne out.
 */
import { type DcBatteryConfig, dcBatteryConfig } from "./dc/battery.js";
import type { EvDcConfig } from "./dc/types.js";

/** Profile names (`--ev-profile`). */
export const EV_PROFILE_NAMES = ["default", "tesla"] as const;
export type EvProfileName = (typeof EV_PROFILE_NAMES)[number];

/** Tesla's DIN-only SAP offer, entry by entry as the cars send it. */
export const TESLA_APP_PROTOCOLS = Object.freeze([
  {
    ProtocolNamespace: "urn:din:70121:2012:MsgDef",
    VersionNumberMajor: 2,
    VersionNumberMinor: 0,
    SchemaID: 1,
    Priority: 2,
  },
  {
    ProtocolNamespace: "urn:tesla:din:2018:MsgDef",
    VersionNumberMajor: 0,
    VersionNumberMinor: 7,
    SchemaID: 2,
    Priority: 1,
  },
]);

/** Tesla's constant SLAC RunID, ASCII "TESLA EV". */
export const TESLA_SLAC_RUN_ID: Uint8Array = new TextEncoder().encode("TESLA EV");

/** Declared pack limits of the Model 3 capture (DIN ChargeParameterDiscoveryReq). */
export const TESLA_MODEL3_LIMITS = Object.freeze({ maxVoltageV: 423, maxCurrentA: 549, maxPowerW: 232_000 });

/** Thrown when a profile cannot apply to a configuration (e.g. Tesla's DIN-only profile with AC). */
export class EvProfileError extends Error {
  override readonly name = "EvProfileError";
}

/** The pack a profile declares: Tesla's is a 400 V-class pack (pre-charge to 344–370 V) with the Model 3's limits. */
export function profileBattery(name: EvProfileName, battery: DcBatteryConfig): DcBatteryConfig {
  if (name === "default") return battery;
  return { ...dcBatteryConfig("400v", battery.capacityWh / 1000), ...TESLA_MODEL3_LIMITS };
}

/** Why profile `name` cannot drive an EV charging with `energy`, or null. */
export function evProfileProblem(name: EvProfileName, energy: "dc" | "ac"): string | null {
  return name === "tesla" && energy !== "dc"
    ? "tesla charges DC over DIN SPEC 70121 only (Tesla cars offer no AC high-level communication)"
    : null;
}

/** Apply profile `name` over `cfg`. */
export function applyEvProfile(name: EvProfileName, cfg: EvDcConfig): EvDcConfig {
  if (name === "default") return cfg;
  const problem = evProfileProblem(name, cfg.energy);
  if (problem) throw new EvProfileError(problem);
  return {
    ...cfg,
    battery: profileBattery(name, cfg.battery),
    slac: { ...cfg.slac, runId: TESLA_SLAC_RUN_ID },
    evcc: {
      ...cfg.evcc,
      protocols: ["din"],
      appProtocols: TESLA_APP_PROTOCOLS.map((e) => ({ ...e })),
      // DIN ContractAuthenticationReq is the neutral "Authorization" step.
      trailingZeroBytes: { Authorization: 1 },
      dinMandatoryOnly: true,
      weldingDetection: false,
    },
  };
}
