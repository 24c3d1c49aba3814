/**
 * ISO 15118-2 ChargeParameterDiscoveryReq / Res (fields per EcoG-io/iso15118): DC_EVChargeParameter or
 * AC_EVChargeParameter by the configured mode; reads the EVSE's DC limits or AC max current / nominal voltage.
 * With Contract payment, SalesTariffs are verified with the MO Sub-CA 2 of the EV's contract chain and ignored
 * (not fatal) when the signature is missing or wrong (ISO 15118-2 §7.9.2.4.2; RISE-V2G `verifySalesTariffs`).
 */
import { checkSalesTariffs } from "../../pnc/sales-tariff.js";
import type { EvccMessage } from "../../session/evcc-protocol.js";
import { activeContract, evccDepartureTimeS, evccIsAc } from "../../session/evcc-state.js";
import { num, pv } from "../../session/physical.js";
import { type iso2, isoEvStatus } from "./common.js";

/** EVCC side of ChargeParameterDiscovery. */
export const chargeParameterDiscovery: EvccMessage = {
  name: "ChargeParameterDiscovery",
  req: "ChargeParameterDiscoveryReq",
  res: "ChargeParameterDiscoveryRes",
  build(s): iso2.ChargeParameterDiscoveryReqType {
    const r = s.readings;
    const departure = evccDepartureTimeS(s);
    const requestWh = Math.round(Math.max(0, ((r.fullSocPercent - r.socPercent) / 100) * r.capacityWh));
    if (evccIsAc(s)) {
      return {
        RequestedEnergyTransferMode: s.mode,
        AC_EVChargeParameter: {
          ...(departure !== undefined && { DepartureTime: departure }),
          EAmount: pv(requestWh, "Wh"),
          EVMaxVoltage: pv(r.acMaxVoltageV, "V"),
          EVMaxCurrent: pv(r.acMaxCurrentA, "A"),
          EVMinCurrent: pv(r.acMinCurrentA, "A"),
        },
      };
    }
    return {
      RequestedEnergyTransferMode: s.mode,
      DC_EVChargeParameter: {
        ...(departure !== undefined && { DepartureTime: departure }),
        DC_EVStatus: isoEvStatus(s),
        EVMaximumCurrentLimit: pv(r.maxCurrentA, "A"),
        EVMaximumPowerLimit: pv(r.maxPowerW, "W"),
        EVMaximumVoltageLimit: pv(r.maxVoltageV, "V"),
        EVEnergyCapacity: pv(r.capacityWh, "Wh"),
        EVEnergyRequest: pv(requestWh, "Wh"),
        FullSOC: Math.round(r.fullSocPercent),
        BulkSOC: Math.round(r.bulkSocPercent),
      },
    };
  },
  accept(s, message, tMs) {
    const check = checkSalesTariffs(
      message as iso2.V2G_Message,
      s.payment,
      s.payment === "Contract" ? activeContract(s, tMs)?.chain : undefined,
    );
    return check ? { ...s, salesTariff: check } : s;
  },
  read(r: iso2.ChargeParameterDiscoveryResType) {
    const d = r.DC_EVSEChargeParameter;
    const a = r.AC_EVSEChargeParameter;
    const tuple = r.SAScheduleList?.SAScheduleTuple[0];
    return {
      code: r.ResponseCode,
      processing: r.EVSEProcessing,
      evse: {
        ...(d && {
          maxVoltageV: num(d.EVSEMaximumVoltageLimit),
          minVoltageV: num(d.EVSEMinimumVoltageLimit),
          maxCurrentA: num(d.EVSEMaximumCurrentLimit),
          maxPowerW: num(d.EVSEMaximumPowerLimit),
        }),
        ...(a && { acMaxCurrentA: num(a.EVSEMaxCurrent), acNominalVoltageV: num(a.EVSENominalVoltage) }),
        ...(tuple && { saScheduleTupleId: tuple.SAScheduleTupleID }),
      },
    };
  },
};
