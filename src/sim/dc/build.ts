/**
 * The simulator of one DC session built from its options: the simulated EVSE (power module, AC supply,
 * SLAC, SDP, SECC) and EV (battery, profile, SLAC, EVCC) controller configurations and the world between
 * them. Pure and platform-neutral.
 */
import { dcBatteryConfig, EV_DEFAULT_MIN_SOC_PERCENT, evDcConfig } from "../../ev/dc/index.js";
import { applyEvProfile } from "../../ev/profiles.js";
import { EVSE_DEFAULT_AC_SUPPLY, evseDcConfig, powerModuleConfig } from "../../evse/dc/index.js";
import { seededPrng } from "../../slac/index.js";
import type { ChainValidator } from "../../v2g/pnc/cert-fields.js";
import { readCertFields } from "../../v2g/pnc/cert-fields.js";
import { validateChain } from "../../v2g/pnc/chain.js";
import { type Contract, createContract } from "../../v2g/pnc/contract-store.js";
import { type CpsContract, createLocalCps } from "../../v2g/pnc/cps.js";
import { createInstalledContracts, type InstalledContract } from "../../v2g/pnc/installed-contract.js";
import { PncError } from "../../v2g/pnc/pnc-errors.js";
import { DcSim } from "./dc-sim.js";
import { CERT_FAULT_START } from "./faults.js";
import type { DcSessionOptions, DcSimPnc } from "./session.js";

const mac = (n: number) => Uint8Array.of(0x02, 0x00, 0x5e, 0x10, 0x00, n);
/** MAC of the simulated EVSE's PLC modem (locally administered). */
export const DC_SIM_EVSE_MAC = mac(1);
/** MAC of the simulated EV's PLC modem (locally administered). */
export const DC_SIM_EV_MAC = mac(2);
/** SECC TCP port announced in the simulator's SDP response. */
export const DC_SIM_SECC_PORT = 50_000;

/** IPv6 link-local address of a MAC (EUI-64, universal/local bit flipped; RFC 4291 App. A). */
export function linkLocalOf(m: Uint8Array): Uint8Array {
  const a = new Uint8Array(16);
  a[0] = 0xfe;
  a[1] = 0x80;
  a.set([m[0]! ^ 0x02, m[1]!, m[2]!, 0xff, 0xfe, m[3]!, m[4]!, m[5]!], 8);
  return a;
}

/** ISO 15118-20 BPT: the EV's minimum SOC when the options name none (%), the end of a discharge run. */
export const SIM_BPT_DEFAULT_MIN_SOC = EV_DEFAULT_MIN_SOC_PERCENT;

/** True for the bidirectional service names (dc-bpt, ac-bpt). */
export function isBptServiceName(service: DcSessionOptions["service"]): boolean {
  return service === "dc-bpt" || service === "ac-bpt";
}

/** The options with the power path the -20 service implies (ac, ac-bpt → the AC path), unless one is named. */
export function withServiceEnergy(o: DcSessionOptions): DcSessionOptions {
  const ac = o.service === "ac" || o.service === "ac-bpt";
  return ac && o.energy === undefined ? { ...o, energy: "ac" } : o;
}

/** Build the simulator for `o` (not yet run). */
export function createDcSim(o: DcSessionOptions): DcSim {
  const seed = o.seed ?? 1;
  const module = powerModuleConfig(o.chargerVariant ?? "1000v", o.chargerKw * 1000);
  const battery = dcBatteryConfig(o.evClass ?? "800v", o.batteryKwh);
  // DC_BPT / AC_BPT: both sides bidirectional; the EV gives energy back from the start (unless told not to)
  // down to its minimum SOC
  const bidirectional = isBptServiceName(o.service);
  const pnc = pncConfigs(o, seed);
  return new DcSim({
    socStart: o.socStart,
    seed: o.seed,
    ...(o.onRecord && { onRecord: o.onRecord }),
    ...(o.onWire && { onWire: o.onWire }),
    ...(o.hostClock && { hostClock: o.hostClock }),
    ...(o.v2gCarrier && { v2gCarrier: o.v2gCarrier }),
    ...(o.energyTimeScale !== undefined && { energyTimeScale: o.energyTimeScale }),
    ...(o.slowMeasureMs !== undefined && { slowMeasureMs: o.slowMeasureMs }),
    ...(o.bmsReport && { bmsReport: o.bmsReport }),
    evse: evseDcConfig({
      module,
      pins: o.energy ?? "dc",
      ac: {
        nominalVoltageV: o.acSupplyV ?? EVSE_DEFAULT_AC_SUPPLY.nominalVoltageV,
        maxCurrentA: o.acMaxCurrentA ?? EVSE_DEFAULT_AC_SUPPLY.maxCurrentA,
      },
      slac: { mac: DC_SIM_EVSE_MAC, random: seededPrng(seed ^ 0x5eed).bytes },
      sdp: { address: linkLocalOf(DC_SIM_EVSE_MAC), port: DC_SIM_SECC_PORT },
      ...o.evseConfig,
      // The simulator models no TLS, so ISO 15118-20 runs on its plain link (the lab switch).
      secc: {
        protocols: ["iso20", "iso2", "din"],
        seed: seed >>> 0 || 1,
        iso20WithoutTls: true,
        ...(bidirectional && { bidirectional }),
        ...pnc?.secc,
        ...o.evseConfig?.secc,
      },
    }),
    ev: applyEvProfile(
      o.evProfile ?? "default",
      evDcConfig({
        battery,
        slac: { mac: DC_SIM_EV_MAC, random: seededPrng(seed ^ 0xe7).bytes },
        energy: o.evEnergy ?? o.energy ?? "dc",
        targetSocPercent: o.targetSoc,
        ...(o.minSoc !== undefined && { minSocPercent: o.minSoc }),
        ...(bidirectional && { discharge: o.discharge ?? true }),
        s2CloseDelayMs: o.s2CloseDelayMs ?? 0,
        autoStartV2g: o.driver?.autoStartV2g ?? true,
        ...o.evConfig,
        evcc: {
          protocols: [o.protocol],
          ...(o.control && { iso20ControlMode: o.control }),
          ...(bidirectional && { bidirectional }),
          ...pnc?.evcc,
          ...o.evConfig?.evcc,
        },
      }),
    ),
  });
}

const DAY_S = 86_400;
/** "update": the EV asks for a CertificateUpdate whatever its contract's validity (100 years). */
const SIM_RENEW_ALWAYS_DAYS = 36_500;

/**
 * SECC and EVCC settings of a Plug & Charge session, with the contract faults applied: `contract-expired`
 * runs the charger a day after the contract leaf expired (the EV's clock still trusts it);
 * `unknown-mo-root` leaves the MO root out of the SECC's trust store; `revoked-certificate` makes the SECC's
 * revocation check say revoked; `bad-signature` / `replayed-challenge` are the EV's misbehaviour. With
 * CertificateInstallation / CertificateUpdate ({@link certConfigs}) the certificate faults.
 */
function pncConfigs(o: DcSessionOptions, seed: number) {
  const p = o.pnc;
  if (!p) return undefined;
  let contract = createContract(p.contractChain, p.contractKey);
  let seccEpochS = p.epochS;
  if (o.fault === "contract-expired") {
    seccEpochS = Math.floor(contract.notAfterMs / 1000) + DAY_S;
    contract = { ...contract, notAfterMs: Number.MAX_SAFE_INTEGER };
  }
  const evFault =
    o.fault === "bad-signature" || o.fault === "replayed-challenge" ? { pncFault: o.fault } : {};
  const cert = certConfigs(o, p, contract);
  return {
    secc: {
      epochS: cert?.seccEpochS ?? seccEpochS,
      pnc: {
        moRoots: o.fault === "unknown-mo-root" ? [] : p.moRoots,
        v2gRoots: p.v2gRoots,
        // a seeded generator: the simulator is reproducible (a live SECC injects a CSPRNG, [V2G2-825])
        randomBytes: seededPrng(seed ^ 0xc4a11e).bytes,
        withoutTls: true,
        ...(o.fault === "revoked-certificate" && { isRevoked: () => true }),
      },
      ...cert?.secc,
    },
    evcc: cert ? { ...cert.evcc, epochS: p.epochS } : { contract, epochS: p.epochS, ...evFault },
  };
}

/**
 * CertificateInstallation / CertificateUpdate (`pnc.start`, or what a certificate fault needs): the SECC's
 * local CPS (pool: the PKI's contract, and for an update its renewal) and its OEM chain check, the EV's OEM
 * provisioning material and the contract it starts with (none to install; the PKI's to update, renewed
 * whatever its validity). The faults: `cps-no-certificate` an empty pool; `cps-bad-signature` a CPS signing
 * with a key that is not its certificate's; `oem-cert-expired` the SECC a day after the OEM provisioning
 * certificate expired; `oem-unknown-root` the SECC trusting another OEM root; `cert-update-failed` no renewal
 * contract in the pool. undefined when the EV simply holds its contract.
 */
function certConfigs(o: DcSessionOptions, p: DcSimPnc, contract: Contract) {
  const start =
    (o.fault !== undefined && (CERT_FAULT_START as Partial<Record<string, "install" | "update">>)[o.fault]) ||
    p.start;
  if (start !== "install" && start !== "update") return undefined;
  const v = p.provisioning;
  if (!v)
    throw new PncError(
      "FIELD",
      `pnc.provisioning: absent, but ${o.fault ?? `pnc.start ${start}`} needs the OEM provisioning and CPS material`,
    );
  const own: CpsContract = {
    chain: { leaf: contract.chain[0]!, subCas: contract.chain.slice(1) },
    privateKey: contract.privateKey,
    emaid: contract.emaid,
  };
  const renewal: CpsContract[] =
    start === "update" && v.renewal && o.fault !== "cert-update-failed"
      ? [
          {
            chain: { leaf: v.renewal.chain[0]!, subCas: v.renewal.chain.slice(1) },
            privateKey: v.renewal.key,
            emaid: contract.emaid,
          },
        ]
      : [];
  const cps = createLocalCps({
    chain: { leaf: v.cpsChain[0]!, subCas: v.cpsChain.slice(1) },
    // cps-bad-signature: a key that is not the CPS certificate's (the OEM key is at hand)
    privateKey: o.fault === "cps-bad-signature" ? v.oemKey : v.cpsKey,
    contracts: o.fault === "cps-no-certificate" ? [] : [own, ...renewal],
  });
  const oemRoots = o.fault === "oem-unknown-root" ? p.moRoots : [v.oemRoot];
  const validateOemChain: ChainValidator = (chain, nowS) => {
    const r = validateChain({ leaf: chain.leaf, subCas: v.oemSubCas, roots: oemRoots, nowMs: nowS * 1000 });
    if (r.code === "OK") return;
    const expired = r.code === "EXPIRED" || r.code === "NOT_YET_VALID"; // [V2G2-468] / [V2G2-824]
    throw new PncError(
      expired ? "CERT_EXPIRED" : "CERT_CHAIN",
      `OEMProvisioningCert: ${r.code} (${r.detail})`,
    );
  };
  const oemNotAfterS = readCertFields(v.oemCert, "OEMProvisioningCert").notAfterS;
  const held: InstalledContract = {
    chain: own.chain,
    privateKey: own.privateKey,
    emaid: own.emaid,
    notAfterS: Math.floor(contract.notAfterMs / 1000),
  };
  return {
    ...(o.fault === "oem-cert-expired" && { seccEpochS: oemNotAfterS + DAY_S }),
    secc: p.cpsBackend ? { cpsBackend: true, validateOemChain } : { cps, validateOemChain },
    evcc: {
      pnc: {
        oemCert: v.oemCert,
        oemPrivateKey: v.oemKey,
        roots: p.v2gRoots,
        contracts: createInstalledContracts(start === "update" ? [held] : []),
        ...(start === "update" && { renewDays: SIM_RENEW_ALWAYS_DAYS }),
      },
    },
  };
}
