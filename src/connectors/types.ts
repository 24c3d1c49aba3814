/**
 * Types of the connector catalogue. Figures live in `ratings.ts`; rows in `catalogue.ts`
 * and `adapters.ts`; the mating question is answered by `resolve.ts`.
 */

/** Status of a figure: C confirmed by the named public source, D derived by us, U unconfirmed. */
export type Status = "C" | "D" | "U";

/** Where a figure or row comes from: a source tag (listed in `ratings.ts`) or a short label, plus status. */
export interface Source {
  /** Source tag (e.g. "TFL", "W-NACS"; see `ratings.ts`) or, for a source without a tag, a short label. */
  readonly tag: string;
  readonly status: Status;
  /** What exactly the source says or how the value was derived. */
  readonly detail?: string;
}

/** A figure the sources disagree on; every value is kept with its source. */
export interface Conflict {
  /** Dotted path of the field in the row, e.g. "dc.maxCurrentA". */
  readonly field: string;
  readonly values: readonly { readonly value: string; readonly source: Source }[];
  /** Which value the catalogue uses for limits, and why. */
  readonly note: string;
}

/** Ids of catalogue rows. A row describes one coupler system (its connector and its vehicle inlet). */
export type ConnectorId =
  | "j3400"
  | "j1772"
  | "ccs1"
  | "ccs2"
  | "type2"
  | "chademo"
  | "mcs"
  | "gbt-ac"
  | "gbt-dc";

/** Ids of adapters: `<EVSE connector>-to-<vehicle inlet>`. */
export type AdapterId = "j1772-to-j3400" | "j3400-to-j1772" | "ccs1-to-j3400" | "j3400-to-ccs1";

/** Power path through the coupler. */
export type PowerKind = "ac" | "dc";

/** A charging mode a resolution can offer. */
export type ChargeMode = "ac-l1" | "ac-l2" | "ac-3ph" | "dc";

/** Voltage/current/power limit of one mode. `null` means "no figure published" (never a guess). */
export interface Rating {
  readonly maxVoltageV: number | null;
  readonly maxCurrentA: number | null;
  readonly maxPowerKw: number | null;
}

/** One AC mode of a coupler: North-American levels (L1 120 V, L2 208–240 V) or three-phase. */
export interface AcLevel extends Rating {
  readonly mode: "ac-l1" | "ac-l2" | "ac-3ph";
  /** Nominal supply voltage the figures refer to (line-to-line for three-phase). */
  readonly maxVoltageV: number;
  readonly sources: readonly Source[];
}

/** AC capability of a coupler. */
export interface AcModes {
  /** 1 = single/split phase, 3 = three-phase. */
  readonly phases: 1 | 3;
  readonly levels: readonly AcLevel[];
}

/** One DC rating variant of a coupler (e.g. J3400 legacy 500 V vs 1000 V, CHAdeMO 1.x vs 2.0). */
export interface DcVariant extends Rating {
  readonly id: string;
  readonly label: string;
  readonly sources: readonly Source[];
}

/** DC capability of a coupler. */
export interface DcModes {
  /** The variant used when the caller does not name one. */
  readonly defaultVariant: string;
  readonly variants: readonly DcVariant[];
}

/** How the two sides talk: CP PWM (J1772/IEC 61851), HLC over PLC (DIN 70121/ISO 15118), CAN, SW-CAN. */
export type Signalling = "cp-pwm" | "hlc" | "can" | "sw-can";

/** A catalogue row: one coupler system. */
export interface ConnectorRow {
  readonly id: ConnectorId;
  readonly name: string;
  readonly region: string;
  /**
   * Everything the coupler's vehicle inlet can take. The connector (plug) of the same id may carry
   * less: see {@link ConnectorRow.plugCarries}.
   */
  readonly modes: { readonly ac?: AcModes; readonly dc?: DcModes };
  /** Power paths present on this system's plug (a CCS combo plug has no AC pins). */
  readonly plugCarries: readonly PowerKind[];
  /** Plugs (by row id) that mate with this row's vehicle inlet. Always includes the row's own id. */
  readonly inletAccepts: readonly ConnectorId[];
  readonly signalling: readonly Signalling[];
  /** Connection-detection / proximity mechanism (with its source tags). */
  readonly proximity: string;
  readonly sources: readonly Source[];
  readonly conflicts: readonly Conflict[];
  readonly notes: readonly string[];
}

/** Adapter rating; `null` figures mean no published rating was found (status U). */
export interface AdapterRating extends Rating {
  readonly sources: readonly Source[];
}

/** An adapter between an EVSE connector and a vehicle inlet of another system (engineering view, status U). */
export interface AdapterRow {
  readonly id: AdapterId;
  readonly name: string;
  /** The EVSE plug the adapter accepts. */
  readonly evseSide: ConnectorId;
  /** The plug the adapter presents to the vehicle (mates like a plug of this row id). */
  readonly vehicleSide: ConnectorId;
  /** Power paths the adapter passes. */
  readonly passes: readonly PowerKind[];
  readonly rating: { readonly ac?: AdapterRating; readonly dc?: AdapterRating };
  /** OCPP 2.x ConnectorEnumType value, where one exists. */
  readonly ocppConnectorType?: string;
  readonly sources: readonly Source[];
  readonly notes: readonly string[];
}

/** One mode that works, with its limits and which side set each limit. */
export interface ModeResult {
  readonly mode: ChargeMode;
  readonly maxVoltageV: number | null;
  readonly maxCurrentA: number | null;
  readonly maxPowerKw: number | null;
  /** e.g. "current: inlet j3400 (dc 1000)" — one entry per limited quantity. */
  readonly limitedBy: readonly string[];
}

/** Answer of `resolve()`. */
export type Resolution =
  | { readonly ok: true; readonly modes: readonly ModeResult[]; readonly notes: readonly string[] }
  | { readonly ok: false; readonly reason: string; readonly suggestion?: string };

/** Options of `resolve()`. */
export interface ResolveOptions {
  /** What the EVSE supplies, if known (e.g. a J3400 DC charger). Restricts the answer to that path. */
  readonly supply?: PowerKind;
  /** DC variant of the EVSE connector's row (default: the row's default variant). */
  readonly connectorVariant?: string;
  /** DC variant of the vehicle inlet's row (default: the row's default variant). */
  readonly inletVariant?: string;
  /** Override an adapter's rating (e.g. a confirmed figure for a status-U adapter). */
  readonly adapterRating?: { readonly ac?: Partial<Rating>; readonly dc?: Partial<Rating> };
}
