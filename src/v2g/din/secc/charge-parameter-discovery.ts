/**
 * DIN 70121 ChargeParameterDiscoveryReq → Res (fields per EcoG-io/iso15118): the requested DC type must be
 * the one offered; Ongoing until the schedule is ready; SAScheduleList (one tuple, PMax — always present, as
 * the DIN grammar requires it even when Ongoing or FAILED; with a backend power schedule one entry per
 * period) and DC_EVSEChargeParameter. DIN 70121 has no renegotiation: a later schedule reaches the EV only as
 * the EVSEMaximumPowerLimit of CurrentDemandRes.
 */
import { num, pv } from "../../session/physical.js";
import { scheduleEntries } from "../../session/power-schedule.js";
import { dcEvseStatus, onChargeParameters } from "../../session/secc-logic.js";
import type { SeccHandler } from "../../session/secc-protocol.js";
import type { EnergyTransferMode, SeccState } from "../../session/secc-state.js";
import { DIN_PMAX_CAP, type din } from "./common.js";

/**
 * SAScheduleList duration: one day (s), as EVerest EvseV2G offers (SA_SCHEDULE_DURATION) — implementation
 * choice.
 */
export const DIN_SCHEDULE_DURATION_S = 86_400;

/** DC_EVSEChargeParameter from the power-stage limits. */
export function dinDcEvseChargeParameter(s: SeccState): din.DC_EVSEChargeParameterType {
  const dc = s.readings.dc;
  return {
    DC_EVSEStatus: dcEvseStatus(s) as din.DC_EVSEStatusType,
    EVSEMaximumCurrentLimit: pv(dc.maxCurrentA, "A"),
    EVSEMaximumPowerLimit: pv(dc.maxPowerW, "W"),
    EVSEMaximumVoltageLimit: pv(dc.maxVoltageV, "V"),
    EVSEMinimumCurrentLimit: pv(dc.minCurrentA, "A"),
    EVSEMinimumVoltageLimit: pv(dc.minVoltageV, "V"),
    EVSECurrentRegulationTolerance: pv(dc.regulationToleranceA, "A"),
    EVSEPeakCurrentRipple: pv(dc.peakCurrentRippleA, "A"),
  };
}

function response(s: SeccState, code: din.responseCodeType, processing: "Finished" | "Ongoing") {
  const body: din.ChargeParameterDiscoveryResType = {
    ResponseCode: code,
    EVSEProcessing: processing,
    DC_EVSEChargeParameter: dinDcEvseChargeParameter(s),
  };
  // The DIN grammar requires an SAScheduleList (or SASchedules) in every ChargeParameterDiscoveryRes, even
  // when Ongoing or FAILED (the encoder rejects it otherwise) — so the tuple is always sent.
  {
    const id = s.cfg.saScheduleTupleId;
    body.SAScheduleList = {
      SAScheduleTuple: [
        {
          SAScheduleTupleID: id,
          PMaxSchedule: {
            PMaxScheduleID: id,
            PMaxScheduleEntry: dinPmaxEntries(s),
          },
        },
      ],
    };
  }
  return body;
}

/**
 * PMaxScheduleEntry list: one day at the EVSE's maximum power, or with a backend power schedule one entry per
 * period (the limit capped by the rating and PMaxType), only the last with a duration.
 */
function dinPmaxEntries(s: SeccState): din.PMaxScheduleEntryType[] {
  const sched = s.readings.powerSchedule;
  const entries = sched
    ? scheduleEntries(
        sched,
        s.nowMs,
        Math.min(DIN_PMAX_CAP, s.cfg.readings.dc.maxPowerW),
        DIN_SCHEDULE_DURATION_S,
      )
    : [
        {
          startS: 0,
          durationS: DIN_SCHEDULE_DURATION_S,
          powerW: Math.min(DIN_PMAX_CAP, s.readings.dc.maxPowerW),
        },
      ];
  return entries.map((e, i) => ({
    RelativeTimeInterval:
      i === entries.length - 1 ? { start: e.startS, duration: e.durationS } : { start: e.startS },
    PMax: Math.round(e.powerW),
  }));
}

/** SECC handler of ChargeParameterDiscoveryReq (FAILED_WrongEnergyTransferType for an unoffered type). */
export const chargeParameterDiscovery: SeccHandler = {
  name: "ChargeParameterDiscovery",
  res: "ChargeParameterDiscoveryRes",
  handle(s, req: din.ChargeParameterDiscoveryReqType) {
    const p = req.DC_EVChargeParameter;
    const r = onChargeParameters(s, {
      mode: req.EVRequestedEnergyTransferType as EnergyTransferMode,
      maxVoltageV: num(p?.EVMaximumVoltageLimit),
      maxCurrentA: num(p?.EVMaximumCurrentLimit),
      maxPowerW: num(p?.EVMaximumPowerLimit, Number.POSITIVE_INFINITY),
      socPercent: p?.DC_EVStatus.EVRESSSOC ?? 0,
    });
    const ok = r.modeOk && p !== undefined;
    if (ok && r.wrongParameter) {
      const detail = `ChargeParameterDiscoveryRes FAILED_WrongChargeParameter: ${r.wrongParameter}`;
      const body = response(r.state, "FAILED_WrongChargeParameter", "Finished");
      return { state: r.state, body, processing: "Finished", end: { reason: "failed-response", detail } };
    }
    const processing = ok ? r.processing : "Finished";
    return {
      state: r.state,
      body: response(r.state, ok ? "OK" : "FAILED_WrongEnergyTransferType", processing),
      processing,
    };
  },
  failed: (s, code) => response(s, code as din.responseCodeType, "Finished"),
};
