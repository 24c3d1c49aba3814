/**
 * Helpers that keep the catalogue files data-like: the SECC-under-test case shape, the common
 * expectations, and the PhysicalValue literal of DIN 70121 / ISO 15118-2 (Value × 10^Multiplier, Unit).
 */
import type {
  CaseGroup,
  ConformanceCase,
  ConformanceProtocol,
  Expectation,
  FieldCheck,
  FieldValue,
  LimitRef,
  MessageRef,
  TesterBehaviour,
} from "../types.js";

/** A case with the SECC under test on one protocol. */
export function seccCase(
  protocol: ConformanceProtocol,
  group: CaseGroup,
  c: {
    id: string;
    title: string;
    requirement: string[];
    tester: TesterBehaviour;
    expect: Expectation;
    transport?: "tls" | "tcp";
    knownDeviation?: string;
  },
): ConformanceCase {
  return { ...c, sut: "secc", protocols: [protocol], group };
}

/** The `n`-th request named `message`. */
export const at = (message: string, occurrence = 1): MessageRef => ({ message, occurrence });

/** A PhysicalValue with multiplier 0. */
export const pv = (value: number, unit: string): FieldValue => ({ Multiplier: 0, Unit: unit, Value: value });

/** The response `response` with one of `codes`, then the SECC ends the session (closes the connection). */
export function failedThenClose(
  response: string,
  codes: string[],
  within: LimitRef = "sequenceTimeout",
): Expectation {
  return { kind: "response", response, codes, thenClose: { withinMs: within } };
}

/** The response `response` with one of `codes`, and the session goes on. */
export function answered(response: string, codes: string[], fields?: FieldCheck[]): Expectation {
  return { kind: "response", response, codes, continues: true, ...(fields && { fields }) };
}
