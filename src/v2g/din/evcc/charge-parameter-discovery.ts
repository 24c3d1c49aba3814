/**
 * DIN 70121 ChargeParameterDiscoveryReq / Res (fields per EcoG-io/iso15118): the EV's DC limits and energy
 * request; the EVSE's limits and SAScheduleList.
 */
import type { EvccMessage } from "../../session/evcc-protocol.js";
import { num, pv } from "../../session/physical.js";
import { type din, dinEvStatus } from "./common.js";

/** EVCC side of ChargeParameterDiscovery. */
export const chargeParameterDiscovery: EvccMessage = {
  name: "ChargeParameterDiscovery",
  req: "ChargeParameterDiscoveryReq",
  res: "ChargeParameterDiscoveryRes",
  build(s): din.ChargeParameterDiscoveryReqType {
    const r = s.readings;
    const requestWh = Math.max(0, ((r.fullSocPercent - r.socPercent) / 100) * r.capacityWh);
    return {
      EVRequestedEnergyTransferType: s.mode === "DC_core" ? "DC_core" : "DC_extended",
      DC_EVChargeParameter: {
        DC_EVStatus: dinEvStatus(s),
        EVMaximumCurrentLimit: pv(r.maxCurrentA, "A"),
        EVMaximumPowerLimit: pv(r.maxPowerW, "W"),
        EVMaximumVoltageLimit: pv(r.maxVoltageV, "V"),
        ...(!s.cfg.dinMandatoryOnly && {
          EVEnergyCapacity: pv(r.capacityWh, "Wh"),
          EVEnergyRequest: pv(Math.round(requestWh), "Wh"),
          FullSOC: Math.round(r.fullSocPercent),
          BulkSOC: Math.round(r.bulkSocPercent),
        }),
      },
    };
  },
  read(r: din.ChargeParameterDiscoveryResType) {
    const p = r.DC_EVSEChargeParameter;
    const tuple = r.SAScheduleList?.SAScheduleTuple[0];
    return {
      code: r.ResponseCode,
      processing: r.EVSEProcessing,
      evse: {
        ...(p && {
          maxVoltageV: num(p.EVSEMaximumVoltageLimit),
          minVoltageV: num(p.EVSEMinimumVoltageLimit),
          maxCurrentA: num(p.EVSEMaximumCurrentLimit),
          maxPowerW: num(p.EVSEMaximumPowerLimit, Number.POSITIVE_INFINITY),
        }),
        ...(tuple && { saScheduleTupleId: tuple.SAScheduleTupleID }),
      },
    };
  },
};
