/**
 * ISO 15118-2 CertificateInstallationReq / Res on the EVCC (as the RISE-V2G and EcoG-io/iso15118 EVCCs do):
 * the request is signed with the OEM provisioning key; an OK response is accepted only when its 4 References
 * and signature verify with the CPS leaf (DC=CPS, valid), and the contract key opens with the OEM
 * provisioning key and matches the contract certificate ([V2G2-823]); the new contract goes into the EVCC's
 * contract store.
 */
import { acceptCertRes, installationReqBody } from "../../pnc/cert-evcc.js";
import { putContract } from "../../pnc/installed-contract.js";
import { PncError } from "../../pnc/pnc-errors.js";
import { signFragments } from "../../pnc/xmldsig.js";
import type { EvccMessage } from "../../session/evcc-protocol.js";
import type { EvccPncConfig, EvccState } from "../../session/evcc-state.js";
import type { iso2 } from "./common.js";

/** The EV's PnC configuration, or a PncError naming what is missing. */
export function pncConfig(s: EvccState): EvccPncConfig {
  if (!s.cfg.pnc)
    throw new PncError("FIELD", "EVCC configuration: no pnc (OEM provisioning certificate and key)");
  return s.cfg.pnc;
}

/** Unix seconds at `tMs`. */
export const evccNowS = (s: EvccState, tMs: number) => Math.floor(s.cfg.epochS + tMs / 1000);

/** Accept a certificate response into the store (shared with CertificateUpdate). */
export function acceptInto(s: EvccState, message: unknown, receiverKey: Uint8Array, tMs: number): EvccState {
  const cfg = pncConfig(s);
  const c = acceptCertRes(
    message as iso2.V2G_Message,
    receiverKey,
    evccNowS(s, tMs),
    cfg.validateCpsChain,
    s.sessionId ?? undefined,
  );
  return { ...s, contracts: putContract(s.contracts ?? { contracts: [] }, c) };
}

/** EVCC side of CertificateInstallation. */
export const certificateInstallation: EvccMessage = {
  name: "CertificateInstallation",
  req: "CertificateInstallationReq",
  res: "CertificateInstallationRes",
  build: (s) => installationReqBody(pncConfig(s).oemCert, pncConfig(s).roots),
  // the whole request element is signed with the OEM provisioning key (as in RISE-V2G and the dsV2Gshark PnC
  // captures)
  signature: (s, body) => signFragments([{ CertificateInstallationReq: body }], pncConfig(s).oemPrivateKey),
  read: (r: iso2.CertificateInstallationResType) => ({ code: r.ResponseCode }),
  accept: (s, message, tMs) => acceptInto(s, message, pncConfig(s).oemPrivateKey, tMs),
};
