/**
 * A local Certificate Provisioning Service (CPS) for ISO 15118-2 CertificateInstallation / CertificateUpdate,
 * pure and synchronous so that the SECC step function can call it through its configuration.
 *
 * It holds the CPS leaf chain and key (the "SA provisioning" chain, DC=CPS) and a pool of contracts as a
 * backend would have them ready (chain, private key, eMAID; issued beforehand, e.g. by `nacs pki init`).
 * A response carries (fields per the ISO 15118-2 XSD):
 * - `ContractSignatureEncryptedPrivateKey` + `DHpublickey`: the contract key, encrypted for the OEM
 *   provisioning key ([V2G2-820], installation) or for the old contract key ([V2G2-821], update);
 * - `ContractSignatureCertChain` (leaf, Sub-CA 2, Sub-CA 1; the root is never sent), `eMAID`,
 *   `SAProvisioningCertificateChain`;
 * - the header Signature by the CPS leaf key over the four elements with an Id (`id1`..`id4`, short Ids as
 *   an interop lesson RISE-V2G records, unique per message, xs:ID).
 *
 * Platform-neutral: @noble only.
 */
import type * as iso2 from "../../codecs/iso2/index.js";
import { readCertFields } from "./cert-fields.js";
import { encryptContractKey } from "./envelope.js";
import { PncError } from "./pnc-errors.js";
import { signFragments } from "./xmldsig.js";

/** A certificate chain as sent: the leaf and its Sub-CAs (Sub-CA 2 first, then Sub-CA 1; no root). */
export interface DerChain {
  leaf: Uint8Array;
  subCas: readonly Uint8Array[];
}

/** One contract the CPS can hand out. */
export interface CpsContract {
  chain: DerChain;
  /** The contract private scalar (32 B big-endian). */
  privateKey: Uint8Array;
  /** eMAID as sent (no separators, 14–15 characters, XSD eMAIDType). */
  emaid: string;
  /** Only for the vehicle with this PCID (the OEM provisioning certificate CN); any when absent. */
  pcid?: string;
}

/** Configuration of {@link createLocalCps}. */
export interface LocalCpsConfig {
  /** The CPS leaf chain (SAProvisioningCertificateChain). */
  chain: DerChain;
  /** The CPS leaf private scalar (32 B). */
  privateKey: Uint8Array;
  contracts: readonly CpsContract[];
  /** RetryCounter of CertificateUpdateRes (absent: not sent). */
  retryCounter?: number;
}

/** A signed CertificateInstallationRes / CertificateUpdateRes: the body and the header Signature. */
export interface CpsAnswer<B> {
  body: B;
  signature: iso2.SignatureType;
  /** The contract handed out. */
  contract: CpsContract;
}

/** The local CPS. */
export interface LocalCps {
  readonly chain: DerChain;
  /** CertificateInstallationRes for a request whose signature and OEM certificate were checked; throws PncError NO_CONTRACT. */
  install(req: iso2.CertificateInstallationReqType): CpsAnswer<iso2.CertificateInstallationResType>;
  /** CertificateUpdateRes for a request whose signature and old contract were checked; throws PncError NO_CONTRACT. */
  update(req: iso2.CertificateUpdateReqType): CpsAnswer<iso2.CertificateUpdateResType>;
}

/** The Ids of the four signed elements ([V2G2-909]: at most 4 references). */
export const CPS_IDS = {
  contractChain: "id1",
  encryptedKey: "id2",
  dhPublicKey: "id3",
  emaid: "id4",
} as const;

const norm = (e: string) => e.replace(/-/g, "").toUpperCase();

/** The chain element of a message. */
export function chainElement(c: DerChain, id?: string): iso2.CertificateChainType {
  return {
    ...(id ? { Id: id } : {}),
    Certificate: c.leaf,
    ...(c.subCas.length > 0 ? { SubCertificates: { Certificate: [...c.subCas] } } : {}),
  };
}

/** The chain of a message element. */
export function derChain(c: iso2.CertificateChainType): DerChain {
  return { leaf: c.Certificate, subCas: c.SubCertificates?.Certificate ?? [] };
}

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Create a local CPS; the CPS and contract certificates are read once here (throws PncError on a bad one). */
export function createLocalCps(cfg: LocalCpsConfig): LocalCps {
  readCertFields(cfg.chain.leaf, "CPS leaf");
  cfg.contracts.forEach((c, i) => {
    readCertFields(c.chain.leaf, `contracts[${i}].chain.leaf`);
  });
  const answer = (contract: CpsContract, receiverPublicKey: Uint8Array) => {
    const env = encryptContractKey({ contractPrivateKey: contract.privateKey, receiverPublicKey });
    const parts = {
      ContractSignatureCertChain: chainElement(contract.chain, CPS_IDS.contractChain),
      ContractSignatureEncryptedPrivateKey: { Id: CPS_IDS.encryptedKey, CONTENT: env.encryptedPrivateKey },
      DHpublickey: { Id: CPS_IDS.dhPublicKey, CONTENT: env.dhPublicKey },
      eMAID: { Id: CPS_IDS.emaid, CONTENT: norm(contract.emaid) },
    };
    const signature = signFragments(
      [
        { ContractSignatureCertChain: parts.ContractSignatureCertChain },
        { ContractSignatureEncryptedPrivateKey: parts.ContractSignatureEncryptedPrivateKey },
        { DHpublickey: parts.DHpublickey },
        { eMAID: parts.eMAID },
      ],
      cfg.privateKey,
    );
    return {
      body: {
        ResponseCode: "OK" as const,
        SAProvisioningCertificateChain: chainElement(cfg.chain),
        ...parts,
      },
      signature,
    };
  };
  return {
    chain: cfg.chain,
    install(req) {
      const oem = readCertFields(req.OEMProvisioningCert, "OEMProvisioningCert");
      const pcid = oem.subject.find((a) => a.type === "CN")?.value;
      const contract = cfg.contracts.find((c) => c.pcid === undefined || c.pcid === pcid);
      if (!contract)
        throw new PncError(
          "NO_CONTRACT",
          `CertificateInstallationReq: no contract for PCID ${pcid ?? "(none)"}`,
        );
      const a = answer(contract, oem.publicKey);
      return { body: a.body, signature: a.signature, contract };
    },
    update(req) {
      const old = readCertFields(
        req.ContractSignatureCertChain.Certificate,
        "ContractSignatureCertChain.Certificate",
      );
      const emaid = norm(req.eMAID);
      const contract =
        cfg.contracts.find(
          (c) =>
            norm(c.emaid) === emaid && !sameBytes(c.chain.leaf, req.ContractSignatureCertChain.Certificate),
        ) ?? undefined;
      if (!contract)
        throw new PncError("NO_CONTRACT", `CertificateUpdateReq: no new contract for eMAID ${emaid}`);
      const a = answer(contract, old.publicKey);
      const body: iso2.CertificateUpdateResType = {
        ...a.body,
        ...(cfg.retryCounter !== undefined ? { RetryCounter: cfg.retryCounter } : {}),
      };
      return { body, signature: a.signature, contract };
    },
  };
}

/**
 * ServiceID of the ContractCertificate value-added service (as RISE-V2G, EcoG-io/iso15118 and EVerest offer
 * it).
 */
export const CONTRACT_CERTIFICATE_SERVICE_ID = 2;
/** Its parameter sets (as RISE-V2G's SECC defines them): 1 = Installation, 2 = Update. */
export const CONTRACT_CERTIFICATE_SET = { install: 1, update: 2 } as const;
