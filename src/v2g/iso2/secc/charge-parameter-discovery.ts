/**
 * ISO 15118-2 ChargeParameterDiscoveryReq → Res (fields per EcoG-io/iso15118): the requested mode must be
 * offered (FAILED_WrongEnergyTransferMode) and carry the matching AC/DC parameters
 * (FAILED_WrongChargeParameter); Ongoing until the schedule is ready; one SAScheduleTuple (PMax = EVSE max
 * power, or with a backend power schedule one PMaxScheduleEntry per period, power-schedule.ts) when Finished.
 * With Contract payment and a signed SalesTariff from the backend, the tuple carries it and the header its
 * signature, both unchanged (ISO 15118-2 §7.9.2.4.2: the secondary actor signs SalesTariffs).
 */
import type { SignedSalesTariff } from "../../pnc/sales-tariff.js";
import { num, pv } from "../../session/physical.js";
import { noteScheduleSent, scheduleEntries } from "../../session/power-schedule.js";
import { onChargeParameters } from "../../session/secc-logic.js";
import type { SeccHandler } from "../../session/secc-protocol.js";
import { isAcMode, type SeccState } from "../../session/secc-state.js";
import { type iso2, isoAcStatus, isoDcStatus } from "./common.js";

/** SAScheduleList duration: one day (s) — implementation choice, as EVerest. */
export const ISO2_SCHEDULE_DURATION_S = 86_400;

function response(
  s: SeccState,
  code: iso2.responseCodeType,
  processing: "Finished" | "Ongoing",
  ac: boolean,
) {
  const r = s.readings;
  const body: iso2.ChargeParameterDiscoveryResType = { ResponseCode: code, EVSEProcessing: processing };
  if (ac) {
    body.AC_EVSEChargeParameter = {
      AC_EVSEStatus: isoAcStatus(s),
      EVSENominalVoltage: pv(r.ac.nominalVoltageV, "V"),
      EVSEMaxCurrent: pv(r.ac.maxCurrentA, "A"),
    };
  } else {
    body.DC_EVSEChargeParameter = {
      DC_EVSEStatus: isoDcStatus(s),
      EVSEMaximumCurrentLimit: pv(r.dc.maxCurrentA, "A"),
      EVSEMaximumPowerLimit: pv(r.dc.maxPowerW, "W"),
      EVSEMaximumVoltageLimit: pv(r.dc.maxVoltageV, "V"),
      EVSEMinimumCurrentLimit: pv(r.dc.minCurrentA, "A"),
      EVSEMinimumVoltageLimit: pv(r.dc.minVoltageV, "V"),
      EVSECurrentRegulationTolerance: pv(r.dc.regulationToleranceA, "A"),
      EVSEPeakCurrentRipple: pv(r.dc.peakCurrentRippleA, "A"),
    };
  }
  if (processing === "Finished" && code === "OK") {
    const pmax = ac ? r.ac.nominalVoltageV * r.ac.maxCurrentA : r.dc.maxPowerW;
    const tariff = salesTariffOf(s);
    body.SAScheduleList = {
      SAScheduleTuple: [
        {
          SAScheduleTupleID: s.cfg.saScheduleTupleId,
          PMaxSchedule: {
            PMaxScheduleEntry: pmaxEntries(s, pmax, ac),
          },
          ...(tariff && { SalesTariff: tariff.tariff }),
        },
      ],
    };
  }
  return body;
}

/**
 * PMaxScheduleEntry list: one day at `pmax` (today's maximum), or with a backend power schedule one entry per
 * period from now (PMax the period's limit capped by the charger's rating), only the last with a duration
 * (ISO 15118-2 RelativeTimeIntervalType), at most the schema's 1024.
 */
function pmaxEntries(s: SeccState, pmax: number, ac: boolean): iso2.PMaxScheduleEntryType[] {
  const sched = s.readings.powerSchedule;
  const rated = s.cfg.readings;
  const ratedW = ac ? rated.ac.nominalVoltageV * rated.ac.maxCurrentA : rated.dc.maxPowerW;
  const entries = sched
    ? scheduleEntries(sched, s.nowMs, ratedW, ISO2_SCHEDULE_DURATION_S)
    : [{ startS: 0, durationS: ISO2_SCHEDULE_DURATION_S, powerW: pmax }];
  return entries.map((e, i) => ({
    RelativeTimeInterval:
      i === entries.length - 1 ? { start: e.startS, duration: e.durationS } : { start: e.startS },
    PMax: pv(e.powerW, "W"),
  }));
}

/** The signed SalesTariff to send: only with Contract payment (it is the contract's MO that signed it). */
function salesTariffOf(s: SeccState): SignedSalesTariff | undefined {
  return s.payment?.option === "Contract" ? s.cfg.pnc?.salesTariff : undefined;
}

/** SECC handler of ChargeParameterDiscoveryReq. */
export const chargeParameterDiscovery: SeccHandler = {
  name: "ChargeParameterDiscovery",
  res: "ChargeParameterDiscoveryRes",
  handle(s, req: iso2.ChargeParameterDiscoveryReqType) {
    const mode = req.RequestedEnergyTransferMode;
    const ac = isAcMode(mode);
    const a = req.AC_EVChargeParameter;
    const d = req.DC_EVChargeParameter;
    const r = onChargeParameters(s, {
      mode,
      maxVoltageV: num(ac ? a?.EVMaxVoltage : d?.EVMaximumVoltageLimit),
      maxCurrentA: num(ac ? a?.EVMaxCurrent : d?.EVMaximumCurrentLimit),
      maxPowerW: ac
        ? num(a?.EVMaxVoltage) * num(a?.EVMaxCurrent)
        : num(d?.EVMaximumPowerLimit, Number.POSITIVE_INFINITY),
      socPercent: d?.DC_EVStatus.EVRESSSOC ?? 0,
    });
    let code: iso2.responseCodeType = "OK";
    if (!r.modeOk) code = "FAILED_WrongEnergyTransferMode";
    else if (ac ? !a : !d) code = "FAILED_WrongChargeParameter";
    else if (r.wrongParameter) code = "FAILED_WrongChargeParameter";
    const processing = code === "OK" ? r.processing : "Finished";
    const body = response(r.state, code, processing, ac);
    // the schedule the EV now has, to tell whether a later one needs a renegotiation
    const state = body.SAScheduleList ? noteScheduleSent(r.state) : r.state;
    const tariff = body.SAScheduleList ? salesTariffOf(r.state) : undefined;
    if (tariff) return { state, body, processing, signature: tariff.signature };
    if (!r.wrongParameter || code !== "FAILED_WrongChargeParameter") return { state, body, processing };
    const detail = `ChargeParameterDiscoveryRes FAILED_WrongChargeParameter: ${r.wrongParameter}`;
    return { state: r.state, body, processing, end: { reason: "failed-response", detail } };
  },
  failed: (s, code) => {
    const ac = isAcMode(s.ev.mode);
    return response(s, code as iso2.responseCodeType, "Finished", ac);
  },
};
