/**
 * Syntax checks of the identifiers the PnC leaves carry as their CN: eMAID (contract leaf, [V2G2-108]),
 * PCID (OEM provisioning leaf, [V2G2-933]), SECC ID (SECC leaf).
 */
import { PkiError } from "./errors.js";

/**
 * eMAID (eMobility Account Identifier, ISO 15118-2 Annex H / eMI3): country (2 letters) + provider
 * (3 alphanumerics) + instance (9 alphanumerics) + optional check character, 14–15 characters without
 * separators (XSD `eMAIDType`); optional `-` separators allowed in the CN, up to 18 characters.
 */
export const EMAID_PATTERN = /^[A-Za-z]{2}[A-Za-z0-9]{3}[A-Za-z0-9]{9}[A-Za-z0-9]?$/;
/** Longest eMAID with separators (e.g. `DE-ABC-C12345678-9`). */
export const EMAID_MAX_WITH_SEPARATORS = 18;
/** PCID (provisioning certificate ID): WMI (3) + 14 alphanumerics + optional check character ([V2G2-933]). */
export const PCID_PATTERN = /^[A-Za-z0-9]{17,18}$/;
/** Upper bound of a CN (RFC 5280 Appendix A, ub-common-name). */
export const CN_MAX_LENGTH = 64;

/** Check an eMAID; returns it unchanged (the CN keeps the separators the caller chose). */
export function checkEmaid(emaid: string, field = "eMAID"): string {
  const bare = emaid.replaceAll("-", "");
  if (emaid.length > EMAID_MAX_WITH_SEPARATORS || !EMAID_PATTERN.test(bare))
    throw new PkiError(
      "bad-identifier",
      `${field} ${JSON.stringify(emaid)}: must be country (2 letters) + provider (3) + instance (9 alphanumerics) + optional check character, 14–15 characters without '-' (at most ${EMAID_MAX_WITH_SEPARATORS} with)`,
    );
  return emaid;
}

/** Check a PCID ([V2G2-933]). */
export function checkPcid(pcid: string, field = "PCID"): string {
  if (!PCID_PATTERN.test(pcid))
    throw new PkiError(
      "bad-identifier",
      `${field} ${JSON.stringify(pcid)}: must be 17–18 alphanumerics (WMI 3 + 14 + optional check character, [V2G2-933])`,
    );
  return pcid;
}

/** Check a SECC ID used as CN: 1..64 printable characters without control characters. */
export function checkSeccId(id: string, field = "SECC ID"): string {
  if (id.length === 0 || id.length > CN_MAX_LENGTH || /[\u0000-\u001f\u007f]/.test(id))
    throw new PkiError(
      "bad-identifier",
      `${field} ${JSON.stringify(id)}: must be 1..${CN_MAX_LENGTH} characters without control characters (RFC 5280 ub-common-name)`,
    );
  return id;
}
