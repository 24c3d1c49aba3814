/** The Plug & Charge material a simulated session runs with (ISO 15118-2 Contract payment, certificate services). */
import type { PncProvisioning } from "../../link/pki/provisioning.js";

/**
 * Plug & Charge material of a simulated session, as bytes (the host issues or loads the PKI): the SECC's
 * trusted roots, the EV's contract chain and key, and the Unix time the session runs at (inside the
 * certificates' validity). The simulator models no TLS, so the SECC offers Contract on its plain link.
 */
export interface DcSimPnc {
  moRoots: Uint8Array[];
  v2gRoots: Uint8Array[];
  /** DER, leaf first (leaf, MO Sub-CA 2, MO Sub-CA 1). */
  contractChain: Uint8Array[];
  /** P-256 scalar of the contract leaf. */
  contractKey: Uint8Array;
  /** Unix time (s) at the start of the session. */
  epochS: number;
  /**
   * How the EV comes by its contract: "contract" (default) holds it from the start; "install" starts without
   * one and runs CertificateInstallation first; "update" holds it but renews it (CertificateUpdate) before
   * paying. The certificate faults choose their own. "install" / "update" need {@link provisioning}.
   */
  start?: "contract" | "install" | "update";
  /** CertificateInstallation / CertificateUpdate material (the EV's OEM provisioning certificate, the local CPS). */
  provisioning?: DcSimPncProvisioning;
  /**
   * The CPS is behind the charger's backend (a CSMS over OCPP, Get15118EVCertificate): the SECC forwards the
   * certificate requests instead of answering them with the local CPS (which the backend then plays).
   */
  cpsBackend?: boolean;
}

/**
 * The certificate-provisioning material of a simulated session: the EV's OEM provisioning certificate and key
 * (it signs CertificateInstallationReq, [V2G2-820]), the OEM chain the SECC validates it with, the local CPS's
 * chain and key ([V2G2-891]) and a renewal contract for CertificateUpdate ([V2G2-821]) — as `src/link/pki`
 * loads or issues it.
 */
export type DcSimPncProvisioning = PncProvisioning;
