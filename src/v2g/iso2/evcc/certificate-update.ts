/**
 * ISO 15118-2 CertificateUpdateReq / Res on the EVCC (as the RISE-V2G EVCC does): the request carries the
 * old contract chain and eMAID and is signed with the old contract key; the response is accepted as the
 * installation's, its contract key opened with the old contract key ([V2G2-821]).
 */
import { updateReqBody } from "../../pnc/cert-evcc.js";
import { currentContract, type InstalledContract } from "../../pnc/installed-contract.js";
import { PncError } from "../../pnc/pnc-errors.js";
import { signFragments } from "../../pnc/xmldsig.js";
import type { EvccMessage } from "../../session/evcc-protocol.js";
import type { EvccState } from "../../session/evcc-state.js";
import { acceptInto, evccNowS, pncConfig } from "./certificate-installation.js";
import type { iso2 } from "./common.js";

/** The contract being updated. */
function oldContract(s: EvccState): InstalledContract {
  const c = currentContract(s.contracts ?? { contracts: [] }, evccNowS(s, s.nowMs));
  if (!c) throw new PncError("NO_CONTRACT", "CertificateUpdateReq: the EV holds no valid contract to update");
  return c;
}

/** EVCC side of CertificateUpdate. */
export const certificateUpdate: EvccMessage = {
  name: "CertificateUpdate",
  req: "CertificateUpdateReq",
  res: "CertificateUpdateRes",
  build: (s) => updateReqBody(oldContract(s), pncConfig(s).roots),
  // signed with the old contract key (as in RISE-V2G and the dsV2Gshark PnC captures)
  signature: (s, body) => signFragments([{ CertificateUpdateReq: body }], oldContract(s).privateKey),
  read: (r: iso2.CertificateUpdateResType) => ({ code: r.ResponseCode }),
  // the old key is kept in the state until this returns: open the envelope with it
  accept: (s, message, tMs) => acceptInto(s, message, oldContract(s).privateKey, tMs),
};
