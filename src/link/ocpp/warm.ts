/**
 * ocpp-rpc compiles each JSON schema (ajv) on its first use, 5–25 ms each: in a paced simulation at a high
 * `--speed` that first-use pause is tens of seconds of session time. Compile the ones a station or the
 * CSMS uses up front, on the same validator instances ocpp-rpc's strict mode uses.
 */
import { createRequire } from "node:module";

interface Validator {
  subprotocol: string;
  validate(schemaId: string, params: unknown): boolean;
}

/** The messages of the OCPP 2.0.1 slice (requests and responses are both compiled). */
export const OCPP201_WARM_ACTIONS = [
  "BootNotification",
  "Heartbeat",
  "StatusNotification",
  "Authorize",
  "TransactionEvent",
  "MeterValues",
  "RequestStartTransaction",
  "RequestStopTransaction",
  "SetChargingProfile",
  "ClearChargingProfile",
  "TriggerMessage",
  "GetVariables",
  "SetVariables",
  "Reset",
];

/** The messages of the OCPP 1.6J Core and Smart Charging slice. */
export const OCPP16_WARM_ACTIONS = [
  "BootNotification",
  "Heartbeat",
  "StatusNotification",
  "Authorize",
  "StartTransaction",
  "StopTransaction",
  "MeterValues",
  "RemoteStartTransaction",
  "RemoteStopTransaction",
  "ChangeConfiguration",
  "GetConfiguration",
  "Reset",
  "TriggerMessage",
  "SetChargingProfile",
  "ClearChargingProfile",
];

let warmed = false;

/** Compile the schemas of {@link OCPP201_WARM_ACTIONS} and {@link OCPP16_WARM_ACTIONS} once per process (best effort). */
export function warmOcppSchemas(): void {
  if (warmed) return;
  warmed = true;
  try {
    const validators = createRequire(import.meta.url)("ocpp-rpc/lib/standard-validators.js") as Validator[];
    for (const [protocol, actions] of [
      ["ocpp2.0.1", OCPP201_WARM_ACTIONS],
      ["ocpp1.6", OCPP16_WARM_ACTIONS],
    ] as const) {
      const v = validators.find((x) => x.subprotocol === protocol);
      for (const a of actions)
        for (const kind of ["req", "conf"])
          try {
            v?.validate(`urn:${a}.${kind}`, {});
          } catch {
            // an empty payload is invalid: only the compilation was wanted
          }
    }
  } catch {
    // another ocpp-rpc layout: validation still works, compiled on first use
  }
}
