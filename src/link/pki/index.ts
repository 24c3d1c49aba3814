/** The ISO 15118-2 Plug & Charge test PKI: profiles, issuer, files with manifest, certificate inspection. */
export { PkiError, type PkiErrorCode } from "./errors.js";
export {
  type ManifestEntry,
  PNC_MANIFEST_FILE,
  PNC_OCSP_VALIDITY_DAYS,
  type PncManifest,
  type PncOcspOptions,
  pncFileList,
  pncFileNames,
  pncOcspResponse,
  writePncPki,
} from "./files.js";
export { checkEmaid, checkPcid, checkSeccId, EMAID_PATTERN, PCID_PATTERN } from "./identifiers.js";
export {
  type CertificateInfo,
  type ChainLink,
  checkChain,
  describeCertificate,
  KEY_USAGE_NAMES,
  readCertificates,
} from "./inspect.js";
export { type IssuedPncCert, issuePncCert, issuePncPki, type PncPki, type PncPkiOptions } from "./issuer.js";
export { loadPncMaterial, materialFromPki, type PncMaterial } from "./material.js";
export {
  checkOcspResponse,
  issueOcspResponse,
  OCSP_CLOCK_SKEW_MS,
  OCSP_MAX_AGE_MS,
  type OcspCheck,
  OcspError,
  type OcspErrorCode,
  type OcspGood,
  type OcspIssue,
  ocspCertId,
} from "./ocsp.js";
export { loadEvccPnc, loadLocalCps, pemCertificates, pemPrivateScalar } from "./pnc-load.js";
export * from "./profiles.js";
