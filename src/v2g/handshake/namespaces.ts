/**
 * supportedAppProtocol namespaces and versions (as in EcoG-io/iso15118 and EVerest EvseV2G; the Tesla offer
 * as decoded by pyPLC).
 */

/** A V2G application protocol nacs implements a session machine for (`iso20`: ISO 15118-20 AC and DC, EIM). */
export type V2gProtocol = "din" | "iso2" | "iso20";

/** DIN SPEC 70121 message-set namespace (EcoG-io/iso15118 datatypes). */
export const NS_DIN_70121 = "urn:din:70121:2012:MsgDef";
/** ISO 15118-2:2013 message-set namespace (EcoG-io/iso15118, EVerest EvseV2G). */
export const NS_ISO_15118_2 = "urn:iso:15118:2:2013:MsgDef";
/** Tesla's proprietary DIN variant, offered by Tesla cars at higher priority than DIN (pyPLC). */
export const NS_TESLA_DIN_2018 = "urn:tesla:din:2018:MsgDef";

/**
 * ISO 15118-20 DC namespace a -20 EV offers for the DC service family (libiso15118, Josev, dsV2Gshark
 * captures: real EVs offer `-20:DC` or `-20:AC`, never `-20:CommonMessages`).
 */
export const NS_ISO_15118_20_DC = "urn:iso:std:iso:15118:-20:DC";
/** ISO 15118-20 AC namespace a -20 EV offers for the AC service family (libiso15118, Josev). */
export const NS_ISO_15118_20_AC = "urn:iso:std:iso:15118:-20:AC";

/** The -20 energy families nacs serves, by their supportedAppProtocol namespace. */
export type Iso20Family = "AC" | "DC";

/** The -20 namespace of a family. */
export const ISO20_NAMESPACE: Readonly<Record<Iso20Family, string>> = {
  AC: NS_ISO_15118_20_AC,
  DC: NS_ISO_15118_20_DC,
};

/** The -20 family a namespace stands for, or undefined (not a -20 namespace nacs serves). */
export function iso20FamilyOf(ns: string): Iso20Family | undefined {
  if (ns === NS_ISO_15118_20_DC) return "DC";
  if (ns === NS_ISO_15118_20_AC) return "AC";
  return undefined;
}

/** Namespace and version of each protocol nacs speaks (DIN 70121 and ISO 15118-2 are version 2.0, ISO 15118-20 1.0). */
export const PROTOCOL_VERSIONS: Readonly<
  Record<V2gProtocol, { namespace: string; major: number; minor: number }>
> = {
  din: { namespace: NS_DIN_70121, major: 2, minor: 0 },
  iso2: { namespace: NS_ISO_15118_2, major: 2, minor: 0 },
  /** ISO 15118-20: VersionNumber 1.0 (as Josev and the dsV2Gshark captures). */
  iso20: { namespace: NS_ISO_15118_20_DC, major: 1, minor: 0 },
};

/** The protocol a namespace stands for, or undefined when nacs has no machine for it. */
export function protocolOfNamespace(ns: string): V2gProtocol | undefined {
  if (ns === NS_DIN_70121) return "din";
  if (ns === NS_ISO_15118_2) return "iso2";
  if (iso20FamilyOf(ns)) return "iso20";
  return undefined;
}
