/**
 * supportedAppProtocol negotiation, both sides ([V2G2-169], [V2G20-169]): the SECC picks, among the
 * namespaces it supports, the one the EV gave the best Priority (1 = highest); a Tesla car's
 * `urn:tesla:din:2018:MsgDef` offer is simply unsupported, so DIN wins. No match → Failed_NoNegotiation.
 */
import type { appHandshake } from "../../codecs/index.js";
import {
  ISO20_NAMESPACE,
  type Iso20Family,
  iso20FamilyOf,
  PROTOCOL_VERSIONS,
  protocolOfNamespace,
  type V2gProtocol,
} from "./namespaces.js";

type SapReq = appHandshake.supportedAppProtocolReq;
type SapRes = appHandshake.supportedAppProtocolRes;

/** Outcome of the SECC's choice. */
export interface SapSelection {
  res: SapRes;
  /** The chosen protocol, absent on Failed_NoNegotiation. */
  protocol?: V2gProtocol;
  /** SchemaID of the chosen entry. */
  schemaId?: number;
}

/**
 * SECC side: choose among `supported` (any order; the EV's Priority decides) the EV's best-priority entry
 * whose namespace and major version match. A minor-version difference gives
 * OK_SuccessfulNegotiationWithMinorDeviation. ISO 15118-20 entries count only for the energy families the
 * station serves (`iso20Families`: -20:AC with AC hardware, -20:DC with DC; [V2G20-169]).
 */
export function selectAppProtocol(
  req: SapReq,
  supported: readonly V2gProtocol[],
  iso20Families: readonly Iso20Family[] = ["AC", "DC"],
): SapSelection {
  let best: { protocol: V2gProtocol; schemaId: number; priority: number; minorDiffers: boolean } | undefined;
  for (const ap of req.AppProtocol) {
    const protocol = protocolOfNamespace(ap.ProtocolNamespace);
    if (!protocol || !supported.includes(protocol)) continue;
    const family = iso20FamilyOf(ap.ProtocolNamespace);
    if (family && !iso20Families.includes(family)) continue;
    const v = PROTOCOL_VERSIONS[protocol];
    if (ap.VersionNumberMajor !== v.major) continue;
    if (best && best.priority <= ap.Priority) continue;
    best = {
      protocol,
      schemaId: ap.SchemaID,
      priority: ap.Priority,
      minorDiffers: ap.VersionNumberMinor !== v.minor,
    };
  }
  if (!best) return { res: { ResponseCode: "Failed_NoNegotiation" } };
  return {
    res: {
      ResponseCode: best.minorDiffers
        ? "OK_SuccessfulNegotiationWithMinorDeviation"
        : "OK_SuccessfulNegotiation",
      SchemaID: best.schemaId,
    },
    protocol: best.protocol,
    schemaId: best.schemaId,
  };
}

/**
 * EVCC side: the request offering `protocols` in the given priority order (first = Priority 1), SchemaIDs 1,
 * 2, … in the same order; ISO 15118-20 under the namespace of the EV's energy family (as Josev's EVCC offers
 * it).
 */
export function buildAppProtocolReq(
  protocols: readonly V2gProtocol[],
  iso20Family: Iso20Family = "DC",
): SapReq {
  return {
    AppProtocol: protocols.map((p, i) => ({
      ProtocolNamespace: p === "iso20" ? ISO20_NAMESPACE[iso20Family] : PROTOCOL_VERSIONS[p].namespace,
      VersionNumberMajor: PROTOCOL_VERSIONS[p].major,
      VersionNumberMinor: PROTOCOL_VERSIONS[p].minor,
      SchemaID: i + 1,
      Priority: i + 1,
    })),
  };
}

/** EVCC side: the protocol the SECC chose from our {@link buildAppProtocolReq} offer, or undefined if none. */
export function acceptedProtocol(offer: readonly V2gProtocol[], res: SapRes): V2gProtocol | undefined {
  if (res.ResponseCode === "Failed_NoNegotiation" || res.SchemaID === undefined) return undefined;
  return offer[res.SchemaID - 1];
}

/**
 * EVCC side, for an offer given entry by entry: the protocol of the entry whose SchemaID the SECC chose,
 * if it is one we speak (`protocols`), else undefined.
 */
export function acceptedFromOffer(
  offer: SapReq["AppProtocol"],
  protocols: readonly V2gProtocol[],
  res: SapRes,
): V2gProtocol | undefined {
  if (res.ResponseCode === "Failed_NoNegotiation" || res.SchemaID === undefined) return undefined;
  const entry = offer.find((e) => e.SchemaID === res.SchemaID);
  const protocol = entry ? protocolOfNamespace(entry.ProtocolNamespace) : undefined;
  return protocol && protocols.includes(protocol) ? protocol : undefined;
}
