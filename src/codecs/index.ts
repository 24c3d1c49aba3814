/**
 * `nacs/codecs`: schema-informed EXI codecs generated from the V2G XSDs. Each set exports
 * `decodeDocument`/`encodeDocument` (`{ Root: value }`), the types named as in the XSD, `META` and `toXml`;
 * DIN and ISO-2 add `decode`/`encode` for `V2G_Message`; ISO-2 and -20 CommonMessages/DC/AC add
 * `decodeFragment`/`encodeFragment` (exiFragment) and `decodeXmldsigFragment`/`encodeXmldsigFragment`.
 */
import * as iso20Ac from "./iso20_ac/index.js";
import * as iso20Acdp from "./iso20_acdp/index.js";
import * as iso20Common from "./iso20_common/index.js";
import * as iso20Dc from "./iso20_dc/index.js";
import * as iso20Wpt from "./iso20_wpt/index.js";

export { paddingOf, warningsOf } from "../exi/decoded.js";
export { ExiDecodeError, ExiEncodeError } from "../exi/errors.js";
export type { DecodeOptions, EncodeOptions, ExiFacetWarning, ExiWarning } from "../exi/options.js";
export { jsonReplacer } from "../exi/xml.js";
export * as appHandshake from "./apphand/index.js";
export * as din from "./din/index.js";
export * as iso2 from "./iso2/index.js";
export * from "./values.js";

/**
 * ISO 15118-20: five schema sets, chosen by the V2GTP payload type (ISO 15118-20):
 * 0x8002 common, 0x8003 ac, 0x8004 dc, 0x8005 acdp, 0x8006 wpt.
 */
export const iso20 = {
  common: iso20Common,
  dc: iso20Dc,
  ac: iso20Ac,
  acdp: iso20Acdp,
  wpt: iso20Wpt,
} as const;
export { iso20Ac, iso20Acdp, iso20Common, iso20Dc, iso20Wpt };
