/**
 * Certificate profiles of the ISO 15118-2 Plug & Charge PKIs: the V2G (CPO + CPS), MO and OEM trees, with
 * the BasicConstraints, KeyUsage, subject DC and validity each certificate carries.
 *
 * Common to all: EC P-256 keys ([V2G2-007]), ecdsa-with-SHA256 signatures ([V2G2-006]), BasicConstraints
 * and KeyUsage both critical, no ExtendedKeyUsage (an EKU without serverAuth on a CA breaks OpenSSL's TLS
 * purpose check), at most two Sub-CAs under a root ([V2G2-009]), a root never issues a leaf ([V2G2-867]).
 *
 * Validity figures are those of the RISE-V2G / Josev test-PKI scripts (`generateCertificates.sh`,
 * `create_certs.sh`); the ranges the standard gives (e.g. "2–3 months" for the SECC leaf) contain them.
 * Where the public test PKIs disagree (DC of the CPO Sub-CAs, the contract leaf's KeyUsage set) the choice
 * is a named constant.
 */

/** RFC 5280 §4.2.1.3 KeyUsage bits, in @peculiar/x509's flag encoding (bit i → 1 << i). */
export const KU = {
  digitalSignature: 1,
  nonRepudiation: 2,
  keyEncipherment: 4,
  keyAgreement: 16,
  keyCertSign: 32,
  cRLSign: 64,
} as const;

const CA_BITS = KU.keyCertSign | KU.cRLSign;

/** Every certificate role of the PnC trees. */
export type PncRole =
  | "v2g-root"
  | "cpo-sub-ca-1"
  | "cpo-sub-ca-2"
  | "secc-leaf"
  | "cps-sub-ca-1"
  | "cps-sub-ca-2"
  | "cps-leaf"
  | "mo-root"
  | "mo-sub-ca-1"
  | "mo-sub-ca-2"
  | "contract-leaf"
  | "oem-root"
  | "oem-sub-ca-1"
  | "oem-sub-ca-2"
  | "oem-prov-leaf";

/** One certificate profile. */
export interface PncProfile {
  role: PncRole;
  /** the issuing role; `null` for a self-signed root */
  issuer: PncRole | null;
  /** BasicConstraints: `false` for a leaf; for a CA, the pathLen (`null` = no limit, as for roots) */
  ca: false | { pathLen: number | null };
  /** KeyUsage bits ({@link KU}) */
  keyUsage: number;
  /** subject domainComponent */
  dc: string;
  /** default subject CN (the leaves take theirs from the identifiers) */
  cn: string;
  /** validity in days */
  validityDays: number;
}

/** Root CA validity (V2G, MO, OEM): 3650 days in the RISE-V2G/Josev scripts (Hubject's roots: 40 years). */
export const PNC_ROOT_VALIDITY_DAYS = 3650;
/** Sub-CA 1 validity (CPO, MO, OEM, CPS): 1460 days (RISE-V2G/Josev scripts; dSPACE test PKI 4 years). */
export const PNC_SUB_CA_1_VALIDITY_DAYS = 1460;
/** CPO Sub-CA 2 validity: 365 days (scripts; ISO range "1–2 years"). */
export const PNC_CPO_SUB_CA_2_VALIDITY_DAYS = 365;
/** MO and OEM Sub-CA 2 validity: 1460 days (scripts). */
export const PNC_MO_OEM_SUB_CA_2_VALIDITY_DAYS = 1460;
/** CPS Sub-CA 2 validity: 730 days (scripts; dSPACE 2 years). */
export const PNC_CPS_SUB_CA_2_VALIDITY_DAYS = 730;
/** SECC leaf validity: 60 days (scripts; dSPACE 90 days; ISO range "2–3 months"). */
export const PNC_SECC_LEAF_VALIDITY_DAYS = 60;
/** CPS leaf validity: 90 days (scripts and dSPACE; ISO range "2–3 months"). */
export const PNC_CPS_LEAF_VALIDITY_DAYS = 90;
/** Contract leaf validity: 730 days (scripts; ISO range "4 weeks – 2 years"). */
export const PNC_CONTRACT_LEAF_VALIDITY_DAYS = 730;
/** OEM provisioning leaf validity: 1460 days (scripts; dSPACE 2 years). */
export const PNC_OEM_PROV_LEAF_VALIDITY_DAYS = 1460;
/** notBefore is set this far in the past so that a peer with a slightly slow clock accepts a fresh PKI. */
export const PNC_BACKDATE_MS = 5 * 60_000;

/**
 * DC of the CPO Sub-CAs: "V2G" as in the RISE-V2G/Josev scripts (the dSPACE test PKI uses "CPO", another
 * public PKI none; the standard's text was not available, so this is a choice).
 */
export const PNC_CPO_SUB_CA_DC = "V2G";
/**
 * KeyUsage of the contract leaf: the four bits of the RISE-V2G/Josev scripts (digitalSignature,
 * nonRepudiation, keyEncipherment, keyAgreement). keyAgreement is needed for the CertificateUpdate envelope
 * ([V2G2-822]); the dSPACE PKI carries only digitalSignature + keyAgreement.
 */
export const PNC_CONTRACT_LEAF_KEY_USAGE =
  KU.digitalSignature | KU.nonRepudiation | KU.keyEncipherment | KU.keyAgreement;
/**
 * KeyUsage of the MO Sub-CA 2: the CA bits plus digitalSignature + nonRepudiation, because this key signs
 * the SalesTariffs of ChargeParameterDiscoveryRes (RISE-V2G/Josev scripts).
 */
export const PNC_MO_SUB_CA_2_KEY_USAGE = CA_BITS | KU.digitalSignature | KU.nonRepudiation;

/** Default eMAID (contract leaf CN): country DE, provider NAC, instance C00000001; 14 characters. */
export const PNC_DEFAULT_EMAID = "DENACC00000001";
/** Default PCID (OEM provisioning leaf CN): WMI "NAC" + 14 characters = 17 ([V2G2-933]). */
export const PNC_DEFAULT_PCID = "NAC00000000000001";
/** Default SECC ID (SECC leaf CN), in the Hubject syntax `CC-OOO-S-<controller>-<check>`. */
export const PNC_DEFAULT_SECC_ID = "DE-NAC-S-00000000000000000000000000000001-0";
/** Organisation name of every subject. */
export const PNC_ORGANIZATION = "nacs Test-PKI";

/** The profiles, issuers before the certificates they issue. */
export const PNC_PROFILES: readonly PncProfile[] = [
  root("v2g-root", "V2G", "V2G Root CA"),
  subCa("cpo-sub-ca-1", "v2g-root", 1, PNC_CPO_SUB_CA_DC, "CPO Sub-CA 1", PNC_SUB_CA_1_VALIDITY_DAYS),
  subCa("cpo-sub-ca-2", "cpo-sub-ca-1", 0, PNC_CPO_SUB_CA_DC, "CPO Sub-CA 2", PNC_CPO_SUB_CA_2_VALIDITY_DAYS),
  leaf(
    "secc-leaf",
    "cpo-sub-ca-2",
    // keyAgreement as in every public test PKI (the static-ECDH TLS suite needs it)
    KU.digitalSignature | KU.keyAgreement,
    // DC=CPO is mandatory for the SECC leaf ([V2G2-925]); the EVCC checks it
    "CPO",
    PNC_DEFAULT_SECC_ID,
    PNC_SECC_LEAF_VALIDITY_DAYS,
  ),
  subCa("cps-sub-ca-1", "v2g-root", 1, "CPS", "CPS Sub-CA 1", PNC_SUB_CA_1_VALIDITY_DAYS),
  subCa("cps-sub-ca-2", "cps-sub-ca-1", 0, "CPS", "CPS Sub-CA 2", PNC_CPS_SUB_CA_2_VALIDITY_DAYS),
  // DC=CPS: the EVCC checks it on the CertificateInstallationRes signer ([V2G2-891])
  leaf("cps-leaf", "cps-sub-ca-2", KU.digitalSignature, "CPS", "CPS Leaf", PNC_CPS_LEAF_VALIDITY_DAYS),
  root("mo-root", "MO", "MO Root CA"),
  subCa("mo-sub-ca-1", "mo-root", 1, "MO", "MO Sub-CA 1", PNC_SUB_CA_1_VALIDITY_DAYS),
  {
    ...subCa("mo-sub-ca-2", "mo-sub-ca-1", 0, "MO", "MO Sub-CA 2", PNC_MO_OEM_SUB_CA_2_VALIDITY_DAYS),
    keyUsage: PNC_MO_SUB_CA_2_KEY_USAGE,
  },
  leaf(
    "contract-leaf",
    "mo-sub-ca-2",
    PNC_CONTRACT_LEAF_KEY_USAGE,
    "MO",
    PNC_DEFAULT_EMAID,
    PNC_CONTRACT_LEAF_VALIDITY_DAYS,
  ),
  root("oem-root", "OEM", "OEM Root CA"),
  subCa("oem-sub-ca-1", "oem-root", 1, "OEM", "OEM Sub-CA 1", PNC_SUB_CA_1_VALIDITY_DAYS),
  subCa("oem-sub-ca-2", "oem-sub-ca-1", 0, "OEM", "OEM Sub-CA 2", PNC_MO_OEM_SUB_CA_2_VALIDITY_DAYS),
  leaf(
    "oem-prov-leaf",
    "oem-sub-ca-2",
    KU.digitalSignature | KU.keyAgreement,
    "OEM",
    PNC_DEFAULT_PCID,
    PNC_OEM_PROV_LEAF_VALIDITY_DAYS,
  ),
];

/** The profile of a role. */
export function pncProfile(role: PncRole): PncProfile {
  const p = PNC_PROFILES.find((x) => x.role === role);
  if (!p) throw new Error(`unknown PnC role ${role}`);
  return p;
}

/** The leaf roles and the chain (leaf first, root last) each one validates along. */
export function chainRoles(role: PncRole): PncRole[] {
  const out: PncRole[] = [];
  let r: PncRole | null = role;
  while (r) {
    out.push(r);
    r = pncProfile(r).issuer;
  }
  return out;
}

function root(role: PncRole, dc: string, cn: string): PncProfile {
  return {
    role,
    issuer: null,
    ca: { pathLen: null },
    keyUsage: CA_BITS,
    dc,
    cn,
    validityDays: PNC_ROOT_VALIDITY_DAYS,
  };
}

function subCa(
  role: PncRole,
  issuer: PncRole,
  pathLen: number,
  dc: string,
  cn: string,
  days: number,
): PncProfile {
  return { role, issuer, ca: { pathLen }, keyUsage: CA_BITS, dc, cn, validityDays: days };
}

function leaf(
  role: PncRole,
  issuer: PncRole,
  keyUsage: number,
  dc: string,
  cn: string,
  days: number,
): PncProfile {
  return { role, issuer, ca: false, keyUsage, dc, cn, validityDays: days };
}
