/** Test fixture: the OCPP 2.0.1 station configuration and clock the station tests start from. */
import type { StationConfig } from "../types.js";

/** The OCPP clock at the start of a test (ms). */
export const TEST_T0 = Date.UTC(2026, 11, 5, 9, 0, 0);

/** A one-EVSE station (EVSE 1, connector 1; TransactionEvent ids `PREFIX-…`), `over` changed. */
export function testStationConfig(
  transactionPrefix = "CP1",
  over: Partial<StationConfig> = {},
): StationConfig {
  return {
    chargingStation: { vendorName: "nacs", model: "sim" },
    evseId: 1,
    connectorId: 1,
    txUpdatedIntervalS: 60,
    heartbeatIntervalS: 300,
    bootRetryS: 30,
    transactionPrefix,
    ...over,
  };
}
