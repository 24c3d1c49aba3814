/** Test support (not exported by `nacs/codecs`): the codec of each vector standard and XML infoset comparison. */
import { parseXml, type XmlElement } from "../../tools/codegen/xml.js";
import * as appHandshake from "./apphand/index.js";
import * as din from "./din/index.js";
import * as iso2 from "./iso2/index.js";
import * as iso20Ac from "./iso20_ac/index.js";
import * as iso20Acdp from "./iso20_acdp/index.js";
import * as iso20Common from "./iso20_common/index.js";
import * as iso20Dc from "./iso20_dc/index.js";
import * as iso20Wpt from "./iso20_wpt/index.js";

/** The generic surface every generated set shares. */
export interface AnyCodec {
  decodeDocument(b: Uint8Array, o?: unknown): Record<string, unknown>;
  encodeDocument(d: never, o?: unknown): Uint8Array;
  toXml(d: Record<string, unknown>): string;
  decodeFragment?: (b: Uint8Array) => Record<string, unknown>;
  encodeFragment?: (d: Record<string, unknown>) => Uint8Array;
  decodeXmldsigFragment?: (b: Uint8Array) => Record<string, unknown>;
  encodeXmldsigFragment?: (d: Record<string, unknown>) => Uint8Array;
}

/** Codec by vector `standard` / `schemaSet`. */
export const CODECS: Record<string, AnyCodec> = {
  apphand: appHandshake as unknown as AnyCodec,
  din: din as unknown as AnyCodec,
  iso2: iso2 as unknown as AnyCodec,
  CommonMessages: iso20Common as unknown as AnyCodec,
  DC: iso20Dc as unknown as AnyCodec,
  AC: iso20Ac as unknown as AnyCodec,
  ACDP: iso20Acdp as unknown as AnyCodec,
  WPT: iso20Wpt as unknown as AnyCodec,
};

interface Canon {
  n: string;
  a: [string, string][];
  t: string;
  c: Canon[];
}

function canon(e: XmlElement): Canon {
  let t = e.children.length > 0 ? "" : e.text.trim();
  // cbv2g prints xs:integer values (X509SerialNumber) as 0x… hex; compare by value
  if (/^0x[0-9a-fA-F]+$/.test(t)) t = BigInt(t).toString();
  // cbv2g prints control characters as "?"
  t = t.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "?");
  return { n: `{${e.ns}}${e.local}`, a: [...e.attrsNs].sort(), t, c: e.children.map(canon) };
}

/** Compare two XML documents as infosets (qualified names, attributes, trimmed text). Returns a difference or null. */
export function xmlDiff(a: string, b: string): string | null {
  const x = JSON.stringify(canon(parseXml(a)));
  const y = JSON.stringify(canon(parseXml(b)));
  if (x === y) return null;
  let i = 0;
  while (i < x.length && x[i] === y[i]) i++;
  return `ours …${x.slice(Math.max(0, i - 80), i + 120)}\nref  …${y.slice(Math.max(0, i - 80), i + 120)}`;
}
