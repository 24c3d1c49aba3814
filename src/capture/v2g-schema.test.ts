/**
 * Captures of cars that send values outside the schema: the message is decoded with its warnings (shown on
 * the timeline line and in the JSON event), also while the schema is still being guessed.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { din } from "../codecs/index.js";
import { eventToJson, formatTimelineLine } from "./format.js";
import { decodeV2gPayload, type SchemaState } from "./v2g-schema.js";

/** A DIN CurrentDemandReq with EVRESSSOC 101 (percentValueType maxInclusive 100). */
const SOC_101 = din.encode(
  {
    Header: { SessionID: Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]) },
    Body: {
      CurrentDemandReq: {
        DC_EVStatus: { EVReady: true, EVErrorCode: "NO_ERROR", EVRESSSOC: 101 },
        EVTargetCurrent: { Multiplier: 0, Unit: "A", Value: 100 },
        ChargingComplete: false,
        EVTargetVoltage: { Multiplier: 0, Unit: "V", Value: 400 },
      },
    },
  },
  { tolerant: true },
);

test("a DIN message with a value outside its facet decodes with the warning, on the timeline and in JSON", () => {
  for (const state of [{ family: "din" }, {}] as SchemaState[]) {
    const d = decodeV2gPayload(state, 0x8001, SOC_101);
    assert.equal(d.schema, "din");
    assert.equal(d.type, "CurrentDemandReq");
    assert.equal(d.error, undefined);
    assert.deepEqual(d.warnings, [
      "V2G_Message.Body.CurrentDemandReq.DC_EVStatus.EVRESSSOC: 101 breaks maxInclusive 100",
    ]);
    const e = {
      t: 1,
      frame: 1,
      layer: "v2g" as const,
      from: "ev" as const,
      schema: d.schema,
      type: d.type,
      message: d.message,
      warnings: d.warnings!,
    };
    assert.match(formatTimelineLine(e), /\(warning: .*EVRESSSOC: 101 breaks maxInclusive 100\)/);
    assert.match(eventToJson(e), /"warnings":\[".*EVRESSSOC: 101 breaks maxInclusive 100"\]/);
  }
});
