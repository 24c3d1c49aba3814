/** ISO 15118-20 SessionSetupReq (EVCCID) / Res (OK_NewSessionEstablished or OK_OldSessionJoined). */
import type { EvccMessage } from "../../session/evcc-protocol.js";
import type { Body, iso20Common } from "./common.js";

/** EVCCID as a string: the EV's MAC address in hex (identifierType, ≤ 255 characters). */
export function evccIdString(id: Uint8Array): string {
  return Array.from(id, (b) => b.toString(16).padStart(2, "0"))
    .join("")
    .toUpperCase();
}

/** EVCC side of SessionSetup. */
export const sessionSetup: EvccMessage = {
  name: "SessionSetup",
  req: "SessionSetupReq",
  res: "SessionSetupRes",
  build: (s): Body<iso20Common.SessionSetupReqType> => ({ EVCCID: evccIdString(s.cfg.evccId) }),
  read: (r: iso20Common.SessionSetupResType) => ({ code: r.ResponseCode }),
};
