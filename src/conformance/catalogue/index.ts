/**
 * The catalogue of conformance cases: one file per group — both protocols from one table where the cases
 * differ only in names and citations, else one file per protocol and group. IDs are unique and stable (reports
 * and profiles refer to them).
 */
import type { ConformanceCase } from "../types.js";
import { DIN_NORMAL } from "./din-normal.js";
import { DIN_VALUES } from "./din-values.js";
import { EVCC_CATALOGUE } from "./evcc.js";
import { ISO2_AC } from "./iso2-ac.js";
import { ISO2_NORMAL } from "./iso2-normal.js";
import { ISO2_RECEIPT } from "./iso2-receipt.js";
import { ISO2_VALUES } from "./iso2-values.js";
import { ISO20_J3400 } from "./iso20-j3400.js";
import { ISO20_NORMAL } from "./iso20-normal.js";
import { ISO20_SEQUENCE } from "./iso20-sequence.js";
import { ISO20_TIMING } from "./iso20-timing.js";
import { ISO20_TRANSPORT } from "./iso20-transport.js";
import { ISO20_VALUES } from "./iso20-values.js";
import { DIN_J3400, ISO2_J3400 } from "./j3400.js";
import { SDP_CASES } from "./sdp.js";
import { DIN_SEQUENCE, ISO2_SEQUENCE } from "./sequence.js";
import { SLAC_CASES } from "./slac.js";
import { DIN_TIMING, ISO2_TIMING } from "./timing.js";
import { DIN_TRANSPORT, ISO2_TRANSPORT } from "./transport.js";

/**
 * Every case, DIN first, then ISO 15118-2 (DC, then AC, then the metering receipts), then ISO 15118-20;
 * normal, sequence, value, timing, transport, j3400; then the protocol-neutral groups below V2G: SLAC
 * (`secc-slac-*`) and SDP (`secc-sdp-*`); then the car-under-test cases (`evcc-*`).
 */
export const CATALOGUE: readonly ConformanceCase[] = [
  ...DIN_NORMAL,
  ...DIN_SEQUENCE,
  ...DIN_VALUES,
  ...DIN_TIMING,
  ...DIN_TRANSPORT,
  ...DIN_J3400,
  ...ISO2_NORMAL,
  ...ISO2_SEQUENCE,
  ...ISO2_VALUES,
  ...ISO2_TIMING,
  ...ISO2_TRANSPORT,
  ...ISO2_J3400,
  ...ISO2_AC,
  ...ISO2_RECEIPT,
  ...ISO20_NORMAL,
  ...ISO20_SEQUENCE,
  ...ISO20_VALUES,
  ...ISO20_TIMING,
  ...ISO20_TRANSPORT,
  ...ISO20_J3400,
  ...SLAC_CASES,
  ...SDP_CASES,
  // the car under test (`--sut evcc`)
  ...EVCC_CATALOGUE,
];

/** A glob over case IDs (`*` any run, `?` one character; comma-separated alternatives) as a predicate. */
export function caseGlob(glob: string): (id: string) => boolean {
  const res = glob
    .split(",")
    .map((g) => g.trim())
    .filter(Boolean)
    .map(
      (g) =>
        new RegExp(
          `^${g
            .replace(/[.+^${}()|[\]\\]/g, "\\$&")
            .replace(/\*/g, ".*")
            .replace(/\?/g, ".")}$`,
        ),
    );
  return (id) => res.some((r) => r.test(id));
}
