/**
 * ISO 15118-20 AuthorizationSetupReq → Res: EIM always; PnC as well when -20 Plug &
 * Charge is configured and the connection is TLS 1.3 (never on plain TCP, a design choice), with
 * PnC_ASResAuthorizationMode carrying a fresh 16-byte GenChallenge from the injected CSPRNG ([V2G20-698]);
 * otherwise the empty EIM_ASResAuthorizationMode ([V2G20-2567]/[V2G20-2568]). No certificate installation
 * service.
 */
import type { Iso20AuthService } from "../../session/iso20-session.js";
import type { SeccHandler } from "../../session/secc-protocol.js";
import type { SeccState } from "../../session/secc-state.js";
import { type Body, type iso20Common, with20 } from "./common.js";

/** GenChallenge length (XSD genChallengeType length 16; [V2G20-698] 128 bits). */
export const ISO20_GEN_CHALLENGE_BYTES = 16;

function response(
  code: iso20Common.responseCodeType,
  challenge?: Uint8Array,
): Body<iso20Common.AuthorizationSetupResType> {
  return {
    ResponseCode: code,
    AuthorizationServices: challenge ? ["EIM", "PnC"] : ["EIM"],
    CertificateInstallationService: false,
    ...(challenge
      ? { PnC_ASResAuthorizationMode: { GenChallenge: challenge } }
      : { EIM_ASResAuthorizationMode: {} }),
  };
}

/** True when this connection may offer PnC: -20 PnC configured, and TLS 1.3 (or the lab switch). */
export function pncOffered(s: SeccState): boolean {
  const pnc = s.cfg.pnc20;
  return !!pnc && (s.connTls === "1.3" || pnc.withoutTls === true);
}

/** SECC handler of AuthorizationSetupReq. */
export const authorizationSetup: SeccHandler = {
  name: "AuthorizationSetup",
  res: "AuthorizationSetupRes",
  handle: (s, _req: iso20Common.AuthorizationSetupReqType) => {
    const eim: Iso20AuthService[] = ["EIM"];
    if (!pncOffered(s))
      return { state: with20(s, { authServices: eim, pncChallenge: null }), body: response("OK") };
    const challenge = s.cfg.pnc20!.randomBytes(ISO20_GEN_CHALLENGE_BYTES);
    if (!(challenge instanceof Uint8Array) || challenge.length !== ISO20_GEN_CHALLENGE_BYTES)
      return {
        state: s,
        body: response("FAILED"),
        end: {
          reason: "internal-error",
          detail: `AuthorizationSetupRes FAILED: randomBytes gave no ${ISO20_GEN_CHALLENGE_BYTES} bytes`,
        },
      };
    const st = with20(s, { authServices: ["EIM", "PnC"], pncChallenge: challenge, pncContract: null });
    return { state: st, body: response("OK", challenge) };
  },
  failed: (_s, code) => response(code as iso20Common.responseCodeType),
};
