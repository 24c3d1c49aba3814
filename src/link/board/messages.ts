/**
 * Message schemas of the board port (docs/board-protocol.md §Messages), one zod discriminated union on `type`
 * per role (evse | ev) and sender (host | board). Field names are those of the controller events and effects
 * (src/evse/dc/types.ts, src/ev/dc/types.ts) so a reading maps 1:1 onto an event and a command 1:1 from an
 * effect (./mapping.ts). Platform-neutral: zod only, no Node built-ins.
 */
import { z } from "zod";
import type { EvVoltageClass } from "../../ev/dc/battery.js";
import type { ModuleVariant } from "../../evse/dc/power-module.js";
import type { CpState, PpState } from "../../pilot/index.js";
import type { IsolationLevel, IsolationReading } from "../../v2g/index.js";

/** Protocol (major) version; carried as `v` in every message and as `protocol` in `hello`. */
export const BOARD_PROTOCOL_VERSION = 1;
/** `seq` runs 0 … 2³² − 1 and wraps to 0, so a 32-bit counter on a microcontroller suffices. Design choice. */
export const BOARD_SEQ_MODULUS = 2 ** 32;
/** Longest `error.message` text (characters), so an error always fits in one line. Design choice. */
export const BOARD_ERROR_TEXT_MAX = 512;

/** Which side of the coupler the board is on. */
export const BOARD_ROLES = ["evse", "ev"] as const;
export type BoardRole = (typeof BOARD_ROLES)[number];
/** Who sent a message. */
export type BoardSender = "host" | "board";

/** A literal list that must name every member of `T` (compile-time check against the controller types). */
const every =
  <T extends string>() =>
  <const L extends readonly T[]>(list: L & ([T] extends [L[number]] ? unknown : "misses a member")): L =>
    list;

/** IEC 61851-1 / SAE J1772 pilot states. */
const CP_STATES = every<CpState>()(["A", "B", "C", "D", "E", "F"]);
/** SAE J1772 / J3400 proximity states. */
const PP_STATES = every<PpState>()(["unplugged", "unlatched", "latched", "fault"]);
export const ISOLATION_STATES = every<IsolationReading["state"]>()(["idle", "running", "done"]);
/** DC_EVSEStatus IsolationLevel (DIN 70121, ISO 15118-2). */
export const ISOLATION_LEVELS = every<IsolationLevel>()(["Invalid", "Valid", "Warning", "Fault", "No_IMD"]);

const percent = z.number().min(0).max(100);
const nonNegative = z.number().min(0);
const seqNumber = z
  .number()
  .int()
  .min(0)
  .max(BOARD_SEQ_MODULUS - 1);
const name = z.string().min(1).max(64);

/** Fields every message carries; unknown extra fields are ignored (versioning rule). */
export const envelopeSchema = z.object({
  v: z.literal(BOARD_PROTOCOL_VERSION),
  seq: seqNumber,
  type: z.string().min(1),
});
export interface BoardEnvelope {
  v: typeof BOARD_PROTOCOL_VERSION;
  seq: number;
}

// ---- simulator settings in the host hello (optional; real boards ignore the field) ----
/** Bounded positive quantity: keeps a settings object small and its numbers physical. Design choice. */
const upTo = (max: number) => z.number().positive().max(max);
/** Power-module settings (PowerModuleConfig fields); absent fields keep the simulator's value. */
const simModule = z.object({
  variant: z.enum(every<ModuleVariant>()(["500v", "1000v"])).optional(),
  maxVoltageV: upTo(2000).optional(),
  minVoltageV: nonNegative.max(2000).optional(),
  maxCurrentA: upTo(5000).optional(),
  maxPowerW: upTo(5e6).optional(),
  rampAps: upTo(1e6).optional(),
  shutdownAps: upTo(1e6).optional(),
  voltageSlewVps: upTo(1e6).optional(),
  dischargeVps: upTo(1e6).optional(),
  regulationToleranceA: nonNegative.max(1000).optional(),
  peakRippleA: nonNegative.max(1000).optional(),
});
/** Battery settings (DcBatteryConfig fields); absent fields keep the simulator's value. */
const simBattery = z.object({
  voltageClass: z.enum(every<EvVoltageClass>()(["400v", "800v"])).optional(),
  capacityWh: upTo(1e6).optional(),
  rIntOhm: upTo(10).optional(),
  maxCurrentA: upTo(5000).optional(),
  maxPowerW: upTo(5e6).optional(),
  maxVoltageV: upTo(2000).optional(),
  bulkSocPercent: percent.optional(),
  fullSocPercent: percent.optional(),
});
/**
 * `sim` of a host hello: settings for a board *simulator* (`nacs board-sim`, `--board sim`), applied before
 * the session starts; unknown fields are dropped and a real board ignores the whole field (versioning rule:
 * a new optional field). Design choice.
 */
export const hostHelloSimSchema = z.object({
  module: simModule.optional(),
  battery: simBattery.optional(),
  socPercent: percent.optional(),
  /**
   * EVSE: what its power pins are wired to: the power module ("dc") or the mains relay ("ac", with the
   * supply's RMS voltage).
   */
  supply: z
    .discriminatedUnion("kind", [
      z.object({ kind: z.literal("dc") }),
      z.object({ kind: z.literal("ac"), voltageV: z.number().min(50).max(500) }),
    ])
    .optional(),
  /** EV: the on-board charger's maximum input current (A RMS). */
  obcMaxCurrentA: z.number().positive().max(200).optional(),
});
export type HostHelloSim = z.infer<typeof hostHelloSimSchema>;

// ---- control messages (both roles) ----
const hostHello = z.object({
  type: z.literal("hello"),
  role: z.enum(BOARD_ROLES),
  protocol: z.literal(BOARD_PROTOCOL_VERSION),
  /** "nacs <version>". */
  host: name,
  /** Simulator settings (see {@link hostHelloSimSchema}). */
  sim: hostHelloSimSchema.optional(),
});
const boardHello = z.object({
  type: z.literal("hello"),
  role: z.enum(BOARD_ROLES),
  protocol: z.literal(BOARD_PROTOCOL_VERSION),
  board: name,
  capabilities: z.array(z.string().min(1).max(32)).max(32).optional(),
});
const heartbeat = z.object({ type: z.literal("heartbeat") });
const ack = z.object({ type: z.literal("ack"), ack: seqNumber });
const error = z.object({ type: z.literal("error"), message: z.string().max(BOARD_ERROR_TEXT_MAX) });
const bye = z.object({ type: z.literal("bye") });

// ---- EVSE board ----
/** Pilot duty %: 100 = steady +12 V (X1), 0 = steady −12 V (state F), else PWM (IEC 61851-1 Annex A). */
const evseDuty = z.object({ type: z.literal("duty"), duty: percent });
const evseModule = z.discriminatedUnion("op", [
  // a negative current is a discharge set point: the bidirectional module sinks it (ISO 15118-20 DC_BPT)
  z.object({ type: z.literal("module"), op: z.literal("set"), voltageV: nonNegative, currentA: z.number() }),
  z.object({ type: z.literal("module"), op: z.literal("off"), emergency: z.boolean() }),
]);
const contactors = z.object({ type: z.literal("contactors"), closed: z.boolean() });
const evseIsolation = z.discriminatedUnion("op", [
  z.object({ type: z.literal("isolation"), op: z.literal("start"), voltageV: nonNegative }),
  z.object({ type: z.literal("isolation"), op: z.literal("stop") }),
]);
const evseCommands = [evseDuty, evseModule, contactors, evseIsolation] as const;

const cp = z.object({ type: z.literal("cp"), state: z.enum(CP_STATES) });
const cpFault = z.object({
  type: z.literal("cp-fault"),
  fault: z.enum(["diode-fault", "cp-short", "pilot-fault"]),
});
const diode = z.object({ type: z.literal("diode"), verified: z.boolean() });
const pp = z.object({ type: z.literal("pp"), state: z.enum(PP_STATES) });
/** Any subset of the output measurements (EvseMeasurements); absent fields keep their last value. */
const measure = z.object({
  type: z.literal("measure"),
  voltageV: z.number().optional(),
  currentA: z.number().optional(),
  energyWh: nonNegative.optional(),
  isolation: z
    .object({
      state: z.enum(ISOLATION_STATES),
      level: z.enum(ISOLATION_LEVELS),
      resistanceOhm: nonNegative.optional(),
    })
    .optional(),
  contactorsClosed: z.boolean().optional(),
});
const emergencyStop = z.object({ type: z.literal("emergency-stop"), pressed: z.boolean() });
const evseReadings = [cp, cpFault, diode, pp, measure, emergencyStop] as const;

// ---- EV board ----
/** Duty measured on the pilot (0 = steady −12 V or none, 100 = steady +12 V). */
const evDuty = z.object({ type: z.literal("duty"), duty: percent });
const lock = z.object({ type: z.literal("lock"), locked: z.boolean() });
const inlet = z.object({
  type: z.literal("inlet"),
  voltageV: z.number(),
  currentA: z.number(),
  acPresent: z.boolean(),
});
const bms = z.object({ type: z.literal("bms"), socPercent: percent, batteryVoltageV: nonNegative });
const evReadings = [evDuty, pp, lock, inlet, bms] as const;

const s2 = z.object({ type: z.literal("s2"), closed: z.boolean() });
/**
 * A test rig's EV board: press or release the connector handle's release button (PP latched ↔ unlatched).
 * Not a controller effect: a tester's action (`nacs conformance`, the J3400 unlatch case).
 */
const button = z.object({ type: z.literal("button"), pressed: z.boolean() });
/**
 * AC: the on-board charger draws at most this current (A RMS; 0 = off); negative: it feeds that current back
 * into the supply (ISO 15118-20 AC_BPT).
 */
const charger = z.object({ type: z.literal("charger"), currentA: z.number() });
const evCommands = [s2, contactors, charger, lock, button] as const;

/** Command schemas per role (host → board, without envelope). */
export const boardCommandSchemas = {
  evse: z.discriminatedUnion("type", [...evseCommands]),
  ev: z.discriminatedUnion("type", [...evCommands]),
};
/** Reading schemas per role (board → host, without envelope). */
export const boardReadingSchemas = {
  evse: z.discriminatedUnion("type", [...evseReadings]),
  ev: z.discriminatedUnion("type", [...evReadings]),
};
/** Every message body per role and sender (without envelope). */
export const boardBodySchemas = {
  evse: {
    host: z.discriminatedUnion("type", [hostHello, heartbeat, bye, ...evseCommands]),
    board: z.discriminatedUnion("type", [boardHello, heartbeat, ack, error, ...evseReadings]),
  },
  ev: {
    host: z.discriminatedUnion("type", [hostHello, heartbeat, bye, ...evCommands]),
    board: z.discriminatedUnion("type", [boardHello, heartbeat, ack, error, ...evReadings]),
  },
};

/** Message types per role and sender (for "unknown type" messages that list what is allowed). */
export const BOARD_MESSAGE_TYPES: Record<BoardRole, Record<BoardSender, readonly string[]>> = {
  evse: {
    host: ["hello", "heartbeat", "bye", "duty", "module", "contactors", "isolation"],
    board: [
      "hello",
      "heartbeat",
      "ack",
      "error",
      "cp",
      "cp-fault",
      "diode",
      "pp",
      "measure",
      "emergency-stop",
    ],
  },
  ev: {
    host: ["hello", "heartbeat", "bye", "s2", "contactors", "charger", "lock", "button"],
    board: ["hello", "heartbeat", "ack", "error", "duty", "pp", "lock", "inlet", "bms"],
  },
};

export type HostHello = z.infer<typeof hostHello>;
export type BoardHello = z.infer<typeof boardHello>;
export type BoardHeartbeat = z.infer<typeof heartbeat>;
export type BoardAck = z.infer<typeof ack>;
export type BoardErrorMessage = z.infer<typeof error>;
export type HostBye = z.infer<typeof bye>;
export type EvseBoardCommand = z.infer<typeof boardCommandSchemas.evse>;
export type EvseBoardReading = z.infer<typeof boardReadingSchemas.evse>;
export type EvBoardCommand = z.infer<typeof boardCommandSchemas.ev>;
export type EvBoardReading = z.infer<typeof boardReadingSchemas.ev>;

/** Command and reading types per role. */
export interface BoardRoleTypes {
  evse: { command: EvseBoardCommand; reading: EvseBoardReading };
  ev: { command: EvBoardCommand; reading: EvBoardReading };
}
export type BoardCommandOf<R extends BoardRole> = BoardRoleTypes[R]["command"];
export type BoardReadingOf<R extends BoardRole> = BoardRoleTypes[R]["reading"];
/** A message body the host sends to a board of role R. */
export type HostBodyOf<R extends BoardRole> = HostHello | BoardHeartbeat | HostBye | BoardCommandOf<R>;
/** A message body a board of role R sends to the host. */
export type BoardBodyOf<R extends BoardRole> =
  | BoardHello
  | BoardHeartbeat
  | BoardAck
  | BoardErrorMessage
  | BoardReadingOf<R>;
/** A message body of role R from sender F. */
export type BodyFrom<R extends BoardRole, F extends BoardSender> = F extends "host"
  ? HostBodyOf<R>
  : BoardBodyOf<R>;
/** Any message body of any role and sender. */
export type AnyBoardBody = HostBodyOf<BoardRole> | BoardBodyOf<BoardRole>;
/** A whole message: envelope + body. */
export type BoardMessage<B extends AnyBoardBody = AnyBoardBody> = BoardEnvelope & B;
