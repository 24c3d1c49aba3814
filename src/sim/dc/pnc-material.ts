/** The Plug & Charge material a simulated session runs with (ISO 15118-2 Contract payment, certificate services). */

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
}

/** The certificate-provisioning material of a simulated session, as bytes (DER chains leaf first, P-256 scalars). */
export interface DcSimPncProvisioning {
  /** The EV's OEM provisioning certificate and key: it signs CertificateInstallationReq ([V2G2-820]). */
  oemCert: Uint8Array;
  oemKey: Uint8Array;
  /** OEM Sub-CA 2, Sub-CA 1 and root: the SECC validates the OEM provisioning certificate with them. */
  oemSubCas: Uint8Array[];
  oemRoot: Uint8Array;
  /** The SECC's local CPS: its leaf chain (leaf, Sub-CA 2, Sub-CA 1) and key ([V2G2-891]). */
  cpsChain: Uint8Array[];
  cpsKey: Uint8Array;
  /** A second contract for the same eMAID: the CPS's answer to CertificateUpdateReq ([V2G2-821]). */
  renewal?: { chain: Uint8Array[]; key: Uint8Array };
}
