/**
 * Hand-written checks of the bodies a board link carries most often (`heartbeat`, and the readings a live
 * board sends ten times a second: `measure`, `inlet`, `bms`), accepting exactly what their schemas in
 * messages.ts accept and returning what those would return (a property test holds them to it). Anything
 * else, or anything these refuse, goes to the schemas, which name the field and the rule. Platform-neutral.
 */
import {
  type AnyBoardBody,
  BOARD_MESSAGE_TYPES,
  BOARD_PROTOCOL_VERSION,
  BOARD_SEQ_MODULUS,
  type BoardRole,
  ISOLATION_LEVELS,
  ISOLATION_STATES,
} from "./messages.js";

const finite = (x: unknown): x is number => typeof x === "number" && Number.isFinite(x);
const nonNegative = (x: unknown): x is number => finite(x) && x >= 0;

/** The envelope (`v`, `seq`, `type`) as envelopeSchema accepts it. */
export function fastEnvelope(o: Record<string, unknown>): o is { v: 1; seq: number; type: string } {
  const { v, seq, type } = o;
  return (
    v === BOARD_PROTOCOL_VERSION &&
    typeof seq === "number" &&
    Number.isInteger(seq) &&
    seq >= 0 &&
    seq <= BOARD_SEQ_MODULUS - 1 &&
    typeof type === "string" &&
    type.length > 0
  );
}

/** `isolation` of a `measure`, or undefined when the schema must decide. */
function isolationOf(x: unknown): { state: string; level: string; resistanceOhm?: number } | undefined {
  if (typeof x !== "object" || x === null || Array.isArray(x)) return undefined;
  const { state, level, resistanceOhm } = x as Record<string, unknown>;
  if (typeof state !== "string" || !(ISOLATION_STATES as readonly string[]).includes(state)) return undefined;
  if (typeof level !== "string" || !(ISOLATION_LEVELS as readonly string[]).includes(level)) return undefined;
  if (resistanceOhm === undefined) return "resistanceOhm" in x ? undefined : { state, level };
  return nonNegative(resistanceOhm) ? { state, level, resistanceOhm } : undefined;
}

/** Fields a `measure` may leave out; one present but undefined (an object, never JSON) goes to the schema. */
const MEASURE_FIELDS = ["voltageV", "currentA", "energyWh", "isolation", "contactorsClosed"] as const;

function measureOf(o: Record<string, unknown>): AnyBoardBody | undefined {
  const out: Record<string, unknown> = { type: "measure" };
  const { voltageV, currentA, energyWh, isolation, contactorsClosed } = o;
  for (const k of MEASURE_FIELDS) if (o[k] === undefined && k in o) return undefined;
  if (voltageV !== undefined) {
    if (!finite(voltageV)) return undefined;
    out.voltageV = voltageV;
  }
  if (currentA !== undefined) {
    if (!finite(currentA)) return undefined;
    out.currentA = currentA;
  }
  if (energyWh !== undefined) {
    if (!nonNegative(energyWh)) return undefined;
    out.energyWh = energyWh;
  }
  if (isolation !== undefined) {
    const iso = isolationOf(isolation);
    if (!iso) return undefined;
    out.isolation = iso;
  }
  if (contactorsClosed !== undefined) {
    if (typeof contactorsClosed !== "boolean") return undefined;
    out.contactorsClosed = contactorsClosed;
  }
  return out as AnyBoardBody;
}

/**
 * The body of a message of `type` (already known to be allowed on this link), or undefined: not one of the
 * frequent types, or not valid (the schema then says why).
 */
export function fastBoardBody(type: string, o: Record<string, unknown>): AnyBoardBody | undefined {
  switch (type) {
    case "heartbeat":
      return { type: "heartbeat" };
    case "inlet": {
      const { voltageV, currentA, acPresent } = o;
      return finite(voltageV) && finite(currentA) && typeof acPresent === "boolean"
        ? { type: "inlet", voltageV, currentA, acPresent }
        : undefined;
    }
    case "bms": {
      const { socPercent, batteryVoltageV } = o;
      return nonNegative(socPercent) && socPercent <= 100 && nonNegative(batteryVoltageV)
        ? { type: "bms", socPercent, batteryVoltageV }
        : undefined;
    }
    case "measure":
      return measureOf(o);
    default:
      return undefined;
  }
}

/**
 * A reading a board sends (`reading` as a board endpoint is handed it), checked as the reading's schema
 * would, or undefined: not one of the frequent readings, or the schema must decide (and say why).
 */
export function fastReading(role: BoardRole, reading: { type: string }): AnyBoardBody | undefined {
  const { type } = reading;
  if (type === "heartbeat" || !BOARD_MESSAGE_TYPES[role].board.includes(type)) return undefined;
  return fastBoardBody(type, reading as unknown as Record<string, unknown>);
}
