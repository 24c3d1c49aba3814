/**
 * Choosing the EXI codec for a V2GTP payload on one TCP connection: the supportedAppProtocol handshake (SAP,
 * payload type 0x8001) names the namespace, the namespace the schema (DIN 70121, ISO 15118-2, ISO 15118-20),
 * and for ISO 15118-20 the V2GTP payload type the schema set (0x8002 CommonMessages … 0x8006 WPT). `--schema`
 * forces one for captures that start mid-session; without it, a session seen without its SAP is decoded with
 * the first of DIN / ISO-2 that accepts its first message (reported as `schemaGuessed`).
 */
import { appHandshake, din, iso2, iso20 } from "../codecs/index.js";
import { V2gtpPayloadType } from "../v2g/index.js";

/** Schema names reported in events (the `--schema` names of `nacs decode`). */
export type V2gSchemaName =
  | "apphand"
  | "din"
  | "iso2"
  | "iso20-common"
  | "iso20-dc"
  | "iso20-ac"
  | "iso20-acdp"
  | "iso20-wpt";

/** The protocol family negotiated on a connection. */
export type V2gFamily = "din" | "iso2" | "iso20";

/** Namespace → family. DIN 70121 / ISO 15118-2 MsgDef namespaces, and Tesla's `urn:tesla:din:2018:MsgDef` (a DIN variant, pyPLC). */
export const NAMESPACE_FAMILIES: Readonly<Record<string, V2gFamily>> = {
  "urn:din:70121:2012:MsgDef": "din",
  "urn:tesla:din:2018:MsgDef": "din",
  "urn:iso:15118:2:2013:MsgDef": "iso2",
  "urn:iso:15118:2:2010:MsgDef": "iso2",
};

/** Family of a namespace; ISO 15118-20 namespaces are `urn:iso:std:iso:15118:-20:*`. */
export function familyOfNamespace(ns: string): V2gFamily | undefined {
  if (ns.startsWith("urn:iso:std:iso:15118:-20:")) return "iso20";
  return NAMESPACE_FAMILIES[ns];
}

/** ISO 15118-20 schema set by V2GTP payload type (ISO 15118-20 payload types, EcoG-io/iso15118 enums.py). */
export const ISO20_SET_BY_PAYLOAD_TYPE: ReadonlyMap<number, V2gSchemaName> = new Map([
  [V2gtpPayloadType.mainstream20, "iso20-common"],
  [V2gtpPayloadType.ac20, "iso20-ac"],
  [V2gtpPayloadType.dc20, "iso20-dc"],
  [V2gtpPayloadType.acdp20, "iso20-acdp"],
  [V2gtpPayloadType.wpt20, "iso20-wpt"],
]);

interface AnyCodec {
  decodeDocument(
    b: Uint8Array,
    o?: { onWarning?: (w: { message: string }) => void; strict?: boolean },
  ): Record<string, unknown>;
}

/** Codec of a schema name. */
export function codecOf(schema: V2gSchemaName): AnyCodec {
  switch (schema) {
    case "apphand":
      return appHandshake as unknown as AnyCodec;
    case "din":
      return din as unknown as AnyCodec;
    case "iso2":
      return iso2 as unknown as AnyCodec;
    case "iso20-common":
      return iso20.common as unknown as AnyCodec;
    case "iso20-dc":
      return iso20.dc as unknown as AnyCodec;
    case "iso20-ac":
      return iso20.ac as unknown as AnyCodec;
    case "iso20-acdp":
      return iso20.acdp as unknown as AnyCodec;
    case "iso20-wpt":
      return iso20.wpt as unknown as AnyCodec;
  }
}

/** Per-connection schema state. */
export interface SchemaState {
  family?: V2gFamily;
  namespace?: string;
  /** True when the family was not negotiated but guessed from the first message. */
  guessed?: boolean;
  forced?: V2gFamily;
  /** The EV's SAP offer, kept to resolve the response's SchemaID. */
  offer?: {
    ProtocolNamespace: string;
    SchemaID: number;
    VersionNumberMajor: number;
    VersionNumberMinor: number;
  }[];
}

/** A decoded (or not) V2GTP payload. */
export interface V2gDecoded {
  schema?: V2gSchemaName;
  type: string;
  message?: Record<string, unknown>;
  warnings?: string[];
  error?: { message: string; code?: string; bitOffset?: number };
}

/**
 * Decode with one schema; values outside a facet are kept and listed in `warnings` unless `strict` (used while
 * guessing the schema, so that a grammar accepting the bytes only with warnings does not win over one that
 * accepts them outright).
 */
function decodeWith(schema: V2gSchemaName, payload: Uint8Array, strict = false): V2gDecoded {
  const warnings: string[] = [];
  const doc = codecOf(schema).decodeDocument(payload, {
    onWarning: (w) => warnings.push(w.message),
    strict,
  });
  const [root, value] = Object.entries(doc)[0] as [string, Record<string, unknown>];
  let type = root;
  if (root === "V2G_Message") {
    const body = (value as { Body?: Record<string, unknown> }).Body ?? {};
    type = Object.keys(body)[0] ?? "V2G_Message";
  }
  const out: V2gDecoded = { schema, type, message: value };
  if (warnings.length > 0) out.warnings = warnings;
  return out;
}

function errorOf(e: unknown): V2gDecoded["error"] {
  const x = e as { message?: string; code?: string; bitOffset?: number };
  const err: NonNullable<V2gDecoded["error"]> = { message: x?.message ?? String(e) };
  if (typeof x?.code === "string") err.code = x.code;
  if (typeof x?.bitOffset === "number") err.bitOffset = x.bitOffset;
  return err;
}

function applySap(state: SchemaState, d: V2gDecoded): void {
  const m = d.message as Record<string, unknown>;
  if (d.type === "supportedAppProtocolReq") {
    state.offer = (m.AppProtocol as SchemaState["offer"]) ?? [];
  } else if (d.type === "supportedAppProtocolRes" && typeof m.SchemaID === "number") {
    const p = state.offer?.find((a) => a.SchemaID === m.SchemaID);
    const fam = p ? familyOfNamespace(p.ProtocolNamespace) : undefined;
    if (p && fam) {
      state.namespace = p.ProtocolNamespace;
      state.family = fam;
      state.guessed = false;
    }
  }
}

/** Decode one V2GTP payload of a connection, updating the connection's schema state. Never throws. */
export function decodeV2gPayload(state: SchemaState, payloadType: number, payload: Uint8Array): V2gDecoded {
  const set = ISO20_SET_BY_PAYLOAD_TYPE.get(payloadType);
  try {
    if (set) {
      if (!state.family) {
        state.family = "iso20";
        state.guessed = !state.forced;
      }
      return decodeWith(set, payload);
    }
    if (payloadType !== V2gtpPayloadType.exi) {
      return {
        type: `V2GTP payload type 0x${payloadType.toString(16).padStart(4, "0")}`,
        error: {
          message: `payload type 0x${payloadType.toString(16)}: no EXI codec for it`,
          code: "UNKNOWN_PAYLOAD",
        },
      };
    }
    const fam = state.family ?? state.forced;
    if (!fam || fam === "iso20" || state.guessed) {
      // the SAP handshake (or an ISO 15118-20 0x8001 message, which is always SAP)
      try {
        const d = decodeWith("apphand", payload, fam !== "iso20" || state.guessed === true);
        applySap(state, d);
        return d;
      } catch (e) {
        if (fam === "iso20" && !state.guessed)
          return { schema: "apphand", type: "supportedAppProtocol", error: errorOf(e) };
      }
    }
    if (fam && fam !== "iso20") return decodeWith(fam, payload);
    // no SAP seen and nothing forced: guess DIN, then ISO-2
    // (strictly first: a grammar that needs facet warnings to accept the bytes is the last resort)
    let first: unknown;
    for (const strict of [true, false])
      for (const f of ["din", "iso2", "apphand"] as const) {
        if (f === "apphand" && strict) continue;
        try {
          const d = decodeWith(f, payload, strict);
          if (f === "apphand") {
            applySap(state, d);
            return d;
          }
          state.family = f;
          state.guessed = true;
          return d;
        } catch (e) {
          first ??= e;
        }
      }
    return {
      type: "V2G_Message",
      error: {
        ...errorOf(first),
        message: `no SAP seen and neither DIN nor ISO-2 decodes: ${errorOf(first)?.message}`,
      },
    };
  } catch (e) {
    const schema = set ?? state.family ?? state.forced;
    const out: V2gDecoded = { type: "V2G_Message", error: errorOf(e) };
    if (schema && schema !== "iso20") out.schema = schema;
    return out;
  }
}
