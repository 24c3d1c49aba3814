/** The ISO 15118-2 Plug & Charge test PKI: profiles, issuer, files with manifest, certificate inspection. */

export {
  CONTRACT_STORE_FILE,
  type ContractStoreFile,
  contractStorePath,
  readContractStore,
  type StoredContract,
  type StoredContractOrigin,
  scalarToPkcs8Pem,
  writeContractStore,
} from "./contract-store-file.js";
export { issueRenewalContract, loadLocalCpsWithRenewal } from "./cps-renewal.js";
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
export { hasPnc20, issuePnc20Pki, loadPnc20Material, PNC20_DIR, pnc20Dir, writePnc20Pki } from "./iso20.js";
export {
  type IssuedPncCert,
  issuePncCert,
  issuePncPki,
  type PncCurve,
  type PncPki,
  type PncPkiOptions,
} from "./issuer.js";
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
export { loadEvccPnc, loadLocalCps, localCpsConfig, pemCertificates, pemPrivateScalar } from "./pnc-load.js";
export * from "./profiles.js";
export { loadPncProvisioning, type PncProvisioning, provisioningFromPki } from "./provisioning.js";
export { loadSignedSalesTariff } from "./sales-tariff-file.js";
