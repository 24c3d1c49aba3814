/**
 * The EVCC catalogue (`nacs conformance --sut evcc`, the car under test): DIN 70121 first, then ISO 15118-2
 * DC; normal, sequence, value, timing, transport, j3400 — one file per group, both protocols from one table.
 */
import type { ConformanceCase } from "../types.js";
import { DIN_EVCC_J3400, ISO2_EVCC_J3400 } from "./evcc-j3400.js";
import { DIN_EVCC_NORMAL, ISO2_EVCC_NORMAL } from "./evcc-normal.js";
import { DIN_EVCC_SEQUENCE, ISO2_EVCC_SEQUENCE } from "./evcc-sequence.js";
import { DIN_EVCC_TIMING, ISO2_EVCC_TIMING } from "./evcc-timing.js";
import { DIN_EVCC_TRANSPORT, ISO2_EVCC_TRANSPORT } from "./evcc-transport.js";
import { DIN_EVCC_VALUES, ISO2_EVCC_VALUES } from "./evcc-values.js";

export const EVCC_CATALOGUE: readonly ConformanceCase[] = [
  ...DIN_EVCC_NORMAL,
  ...DIN_EVCC_SEQUENCE,
  ...DIN_EVCC_VALUES,
  ...DIN_EVCC_TIMING,
  ...DIN_EVCC_TRANSPORT,
  ...DIN_EVCC_J3400,
  ...ISO2_EVCC_NORMAL,
  ...ISO2_EVCC_SEQUENCE,
  ...ISO2_EVCC_VALUES,
  ...ISO2_EVCC_TIMING,
  ...ISO2_EVCC_TRANSPORT,
  ...ISO2_EVCC_J3400,
];
