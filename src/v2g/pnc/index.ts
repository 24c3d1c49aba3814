/**
 * ISO 15118-2 Plug & Charge, platform-neutral: XMLDSig over EXI fragments (sign, verify), certificate reading
 * and chain validation, the contract-key envelope (ECDH, KDF, AES-128-CBC), the EVCC's contracts and
 * certificate requests, the SECC's checks, a local Certificate Provisioning Service, signed SalesTariffs and
 * the signatures of a whole session. Exported as the namespace `pnc` of `nacs/core`.
 */
export * from "./cert.js";
export * from "./cert-evcc.js";
export * from "./cert-fields.js";
export * from "./cert-requests.js";
export * from "./chain.js";
export * from "./contract-store.js";
export * from "./cps.js";
export * from "./envelope.js";
export * from "./installed-contract.js";
export * from "./pnc-errors.js";
export * from "./sales-tariff.js";
export * from "./signed-session.js";
export * from "./xmldsig.js";
export * from "./xmldsig-der.js";
export * from "./xmldsig-errors.js";
