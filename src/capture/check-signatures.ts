/**
 * Plug & Charge signatures in `nacs decode --check` (ISO 15118-2): every V2G_Message with a Header/Signature
 * is verified — XMLDSig over EXI ([V2G2-771], at most 4 References [V2G2-909]) — with its signer's
 * certificate, found in the session as the standard's "who signs what" says:
 *
 * | message | signer's certificate | rule |
 * |---|---|---|
 * | AuthorizationReq | contract leaf of the session's PaymentDetailsReq | [V2G2-461] |
 * | MeteringReceiptReq | the same contract leaf | [V2G2-903] |
 * | CertificateInstallationReq | `OEMProvisioningCert` it carries | [V2G2-771] |
 * | CertificateUpdateReq | `ContractSignatureCertChain` it carries (the old contract) | [V2G2-771] |
 * | CertificateInstallationRes / CertificateUpdateRes | CPS leaf of `SAProvisioningCertificateChain` | [V2G2-891] |
 * | ChargeParameterDiscoveryRes (SalesTariff) | MO Sub-CA 2 of the contract chain, else a given certificate | [V2G2-771] |
 *
 * Certificates given by the user (`--certs`): the self-signed ones are trust anchors, against which the
 * signer's chain is validated (RFC 5280 §6.1 as profiled by [V2G2-885], at the message's capture time), the
 * others complete chains (e.g. the OEM Sub-CAs) and sign what the session does not carry a certificate for.
 * A digest mismatch is found without any certificate. Platform-neutral.
 */
import type * as iso2 from "../codecs/iso2/index.js";
import { type Certificate, parseCertificate, sameName } from "../v2g/pnc/cert.js";
import { type ChainCode, type LeafPurpose, MAX_SUB_CAS, signedBy, validateChain } from "../v2g/pnc/chain.js";
import { signerCertificate } from "../v2g/pnc/signed-session.js";
import { type VerifyResult, verifySignature } from "../v2g/pnc/xmldsig.js";
import type { CheckFinding } from "./check-report.js";
import type { CaptureEvent } from "./events.js";
import { bytesToHex } from "./keylog.js";

/** What became of one signed message. */
export type SignatureOutcome =
  | "verified"
  | "digest-mismatch"
  | "signature-invalid"
  | "no-certificate"
  | "chain-error"
  /** A header Signature whose References name nothing in a body that is not signed (ignored). */
  | "stray"
  /** A message the standard requires to be signed came without a Signature. */
  | "missing";

/** One signed message of the report (`signatures` in `--json`). */
export interface SignatureCheck {
  conn: number;
  /** 1-based position of the message among its connection's V2G messages (SAP handshake included). */
  index: number;
  frame: number;
  t: number;
  /** Body element, e.g. `AuthorizationReq`. */
  message: string;
  /** Where the verifying certificate came from (`PaymentDetailsReq contract leaf`, `--certs`, …). */
  signer?: string;
  /** Its subject CN. */
  signerSubject?: string;
  outcome: SignatureOutcome;
  /** The requirement checked. */
  rule: string;
  /** The References of the signature (element names once resolved). */
  references: { uri: string; element?: string }[];
  /** The failure, naming the Reference or field. */
  detail?: string;
  /** Path validation of the signer's chain (only with trust anchors given). */
  chain?: { code: ChainCode; detail: string; anchor?: string };
}

/** Options of {@link createSignatureChecker}. */
export interface SignatureCheckOptions {
  /** DER certificates (`--certs`): self-signed ones are trust anchors, the others signers and Sub-CAs. */
  certificates?: readonly Uint8Array[];
  /** Unix ms to validate chains at when the capture's start time is unknown (default: the current time). */
  nowMs?: number;
}

/** The signature part of the checker: push V2G events, then finish. */
export interface SignatureChecker {
  /** Returns the findings for this message (added by the caller with the event's time and frame). */
  push(e: CaptureEvent, index: number): CheckFinding[];
  /** Validate the chains (at capture start + t when `startTime`, Unix s, is known); returns their findings. */
  finish(startTime?: number): { findings: CheckFinding[]; signatures: SignatureCheck[] };
}

const RULES: Record<string, string> = {
  AuthorizationReq: "[V2G2-461]",
  MeteringReceiptReq: "[V2G2-903]",
  CertificateInstallationRes: "[V2G2-891]",
  CertificateUpdateRes: "[V2G2-891]",
};
/** Body elements whose messages are signed (the others carry no Signature by the standard). */
const SIGNED = new Set([
  "AuthorizationReq",
  "MeteringReceiptReq",
  "CertificateInstallationReq",
  "CertificateUpdateReq",
  "CertificateInstallationRes",
  "CertificateUpdateRes",
  "ChargeParameterDiscoveryRes",
]);
/** An empty key: the verifier checks the profile, References, digests and SignatureValue size before the key. */
const NO_KEY = new Uint8Array(0);

interface Pool {
  roots: Certificate[];
  others: Certificate[];
}

function makePool(ders: readonly Uint8Array[]): Pool {
  const pool: Pool = { roots: [], others: [] };
  const seen = new Set<string>();
  for (const der of ders) {
    let c: Certificate;
    try {
      c = parseCertificate(der);
    } catch {
      continue; // the CLI names unreadable files before this point; here they sign nothing
    }
    const k = bytesToHex(c.der);
    if (seen.has(k)) continue;
    seen.add(k);
    if (sameName(c.subject, c.issuer) && signedBy(c, c)) pool.roots.push(c);
    else pool.others.push(c);
  }
  return pool;
}

const cnOf = (der: Uint8Array): string | undefined => {
  try {
    return parseCertificate(der).subject.cn;
  } catch {
    return undefined;
  }
};

/** `subCas` extended upwards from the pool (by issuer name and signature) until a root's child, ≤ 2 Sub-CAs. */
function completePath(leaf: Uint8Array, subCas: readonly Uint8Array[], pool: Pool): Uint8Array[] {
  const path = [...subCas];
  let top: Certificate;
  try {
    top = parseCertificate(path.at(-1) ?? leaf);
  } catch {
    return path;
  }
  while (path.length < MAX_SUB_CAS && !pool.roots.some((r) => sameName(r.subject, top.issuer))) {
    const next = pool.others.find(
      (c) =>
        c.basicConstraints?.ca === true &&
        sameName(c.subject, top.issuer) &&
        !path.some((d) => bytesToHex(d) === bytesToHex(c.der)) &&
        signedBy(top, c),
    );
    if (!next) break;
    path.push(next.der);
    top = next;
  }
  return path;
}

const fromChain = (c: iso2.CertificateChainType, purpose: LeafPurpose) => ({
  leaf: c.Certificate,
  subCas: c.SubCertificates?.Certificate ?? [],
  purpose,
});

interface PendingChain {
  check: SignatureCheck;
  leaf: Uint8Array;
  subCas: readonly Uint8Array[];
  purpose: LeafPurpose;
}

/** Create the signature checker. */
export function createSignatureChecker(opts: SignatureCheckOptions = {}): SignatureChecker {
  const pool = makePool(opts.certificates ?? []);
  const candidates = [...pool.others, ...pool.roots];
  const checks: SignatureCheck[] = [];
  const chains: PendingChain[] = [];
  /** Latest PaymentDetailsReq contract chain per connection, and per SessionID (a resumed session). */
  const contractByConn = new Map<number, iso2.CertificateChainType>();
  const contractBySession = new Map<string, iso2.CertificateChainType>();

  const sessionKey = (m: iso2.V2G_Message) =>
    m.Header?.SessionID instanceof Uint8Array ? bytesToHex(m.Header.SessionID) : "";

  function verify(
    m: iso2.V2G_Message,
    body: string,
    contract: iso2.CertificateChainType | undefined,
  ): { result: VerifyResult | undefined; signer?: string; der?: Uint8Array; tried: number } {
    const earlier = contract
      ? [
          {
            Header: m.Header,
            Body: { PaymentDetailsReq: { eMAID: "", ContractSignatureCertChain: contract } },
          },
        ]
      : [];
    const own = signerCertificate(m, earlier as iso2.V2G_Message[]);
    if (own && body !== "ChargeParameterDiscoveryRes")
      return { result: verifySignature(m, own.der), signer: own.from, der: own.der, tried: 1 };
    const pre = verifySignature(m, NO_KEY);
    if (!pre.ok && pre.error.code !== "SIG_KEY") return { result: pre, tried: 0 };
    const tries = [
      ...(own ? [{ from: own.from, der: own.der }] : []),
      ...candidates.map((c) => ({ from: "--certs", der: c.der })),
    ];
    for (const x of tries) {
      const r = verifySignature(m, x.der);
      if (r.ok) return { result: r, signer: x.from, der: x.der, tried: tries.length };
    }
    // the SalesTariff's verifier holds the MO Sub-CA 2 of its contract: a failure with it is a failure
    if (own) return { result: verifySignature(m, own.der), signer: own.from, der: own.der, tried: 1 };
    return { result: undefined, tried: tries.length };
  }

  /** The chain to validate for a verified signer (leaf, Sub-CAs as carried), or undefined. */
  function chainOf(
    m: iso2.V2G_Message,
    body: string,
    signer: string | undefined,
    der: Uint8Array | undefined,
    contract: iso2.CertificateChainType | undefined,
  ): Omit<PendingChain, "check"> | undefined {
    const b = m.Body;
    if (!der || !signer) return undefined;
    if (signer === "--certs") {
      const c = [...pool.others, ...pool.roots].find((x) => x.der === der);
      return c && !c.basicConstraints?.ca ? { leaf: der, subCas: [], purpose: "any" } : undefined;
    }
    const res = b.CertificateInstallationRes ?? b.CertificateUpdateRes;
    if (res) return fromChain(res.SAProvisioningCertificateChain, "any");
    if (b.CertificateUpdateReq)
      return fromChain(b.CertificateUpdateReq.ContractSignatureCertChain, "contract");
    if (b.CertificateInstallationReq)
      return { leaf: b.CertificateInstallationReq.OEMProvisioningCert, subCas: [], purpose: "any" };
    // AuthorizationReq, MeteringReceiptReq, SalesTariff: the contract chain (its Sub-CA 2 signs tariffs)
    return contract
      ? fromChain(contract, body === "ChargeParameterDiscoveryRes" ? "any" : "contract")
      : undefined;
  }

  /** An unsigned message that must be signed: an error finding, and its entry. */
  function missing(e: CaptureEvent, m: iso2.V2G_Message, body: string, index: number): CheckFinding[] {
    const why = mustBeSigned(m, body, contractByConn.has(e.conn!));
    if (!why) return [];
    const rule = RULES[body] ?? "[V2G2-771]";
    checks.push({
      conn: e.conn!,
      index,
      frame: e.frame,
      t: e.t,
      message: body,
      outcome: "missing",
      rule,
      references: [],
      detail: why,
    });
    return [
      {
        severity: "error",
        code: "SIGNATURE_MISSING",
        message: `${body} (message #${index}): no header Signature: ${why} (${rule})`,
      },
    ];
  }

  return {
    push(e, index) {
      const m = e.message as iso2.V2G_Message | undefined;
      if (e.schema !== "iso2" || !m || e.conn === undefined) return [];
      const body = Object.keys(m.Body ?? {})[0] ?? "";
      const pdr = m.Body?.PaymentDetailsReq?.ContractSignatureCertChain;
      if (pdr) {
        contractByConn.set(e.conn, pdr);
        contractBySession.set(sessionKey(m), pdr);
      }
      const sig = m.Header?.Signature;
      if (!sig) return missing(e, m, body, index);
      const contract = contractByConn.get(e.conn) ?? contractBySession.get(sessionKey(m));
      const { result, signer, der, tried } = verify(m, body, contract);
      const rule = RULES[body] ?? "[V2G2-771]";
      const check: SignatureCheck = {
        conn: e.conn,
        index,
        frame: e.frame,
        t: e.t,
        message: body,
        ...(signer ? { signer } : {}),
        ...(der && cnOf(der) !== undefined ? { signerSubject: cnOf(der) } : {}),
        outcome: "verified",
        rule,
        references: (sig.SignedInfo?.Reference ?? []).map((r) => ({ uri: r.URI ?? "" })),
      };
      checks.push(check);
      const what = `${body} (message #${index})`;
      if (!result) {
        check.outcome = "no-certificate";
        check.detail =
          tried > 0
            ? `none of the ${tried} certificates given verifies its SignatureValue`
            : "the signer's certificate is not in this session (pass it with --certs)";
        return [
          {
            severity: "info",
            code: "SIGNATURE_NO_CERTIFICATE",
            message: `${what}: signature not verifiable: no certificate: ${check.detail} (References ${refList(check)}; ${rule})`,
          },
        ];
      }
      if (result.ok) {
        check.references = result.references.map((r) => ({ uri: r.uri, element: r.element }));
        const path = chainOf(m, body, signer, der, contract);
        if (path && pool.roots.length > 0) chains.push({ check, ...path });
        return [
          {
            severity: "info",
            code: "SIGNATURE_VERIFIED",
            message: `${what}: signature verified with ${signer}${check.signerSubject ? ` "${check.signerSubject}"` : ""} (References ${refList(check)}; ${rule})`,
          },
        ];
      }
      const err = result.error;
      check.detail = err.message;
      if (err.code === "SIG_REFERENCE" && !SIGNED.has(body) && /no element with that Id/.test(err.message)) {
        check.outcome = "stray";
        delete check.signer;
        delete check.signerSubject;
        return [
          {
            severity: "warning",
            code: "SIGNATURE_STRAY",
            message: `header Signature on messages that are not signed (first: ${what}): its References (${refList(check)}) name no element of the body; ignored (XMLDSig Reference; ${rule})`,
          },
        ];
      }
      if (err.code === "SIG_DIGEST") {
        check.outcome = "digest-mismatch";
        return [
          {
            severity: "error",
            code: "SIGNATURE_DIGEST",
            message: `${what}: digest mismatch on Reference ${err.reference ?? "?"}: ${err.message} (${rule})`,
          },
        ];
      }
      check.outcome = "signature-invalid";
      return [
        {
          severity: "error",
          code: "SIGNATURE_INVALID",
          message: `${what}: signature invalid${signer ? ` with ${signer}` : ""}: ${err.message} (${err.code}; ${rule})`,
        },
      ];
    },
    finish(startTime) {
      const findings: CheckFinding[] = [];
      const roots = pool.roots.map((r) => r.der);
      for (const p of chains) {
        const nowMs =
          startTime !== undefined ? Math.round((startTime + p.check.t) * 1000) : (opts.nowMs ?? Date.now());
        const r = validateChain({
          leaf: p.leaf,
          subCas: completePath(p.leaf, p.subCas, pool),
          roots,
          nowMs,
          purpose: p.purpose,
        });
        p.check.chain = {
          code: r.code,
          detail: r.detail,
          ...(r.root?.subject.cn ? { anchor: r.root.subject.cn } : {}),
        };
        if (r.code === "OK") continue;
        if (p.check.outcome === "verified") p.check.outcome = "chain-error";
        const rule =
          p.check.message.startsWith("Certificate") && p.check.message.endsWith("Res")
            ? "[V2G2-891]"
            : "[V2G2-885]";
        findings.push({
          severity: "error",
          code: "SIGNATURE_CHAIN",
          message: `${p.check.message} (message #${p.check.index}): chain error: signer's chain (${p.check.signer}) does not validate to the given roots: ${r.code}: ${r.detail} (${rule})`,
          t: p.check.t,
          frame: p.check.frame,
          conn: p.check.conn,
        });
      }
      return { findings, signatures: checks };
    },
  };
}

/** Why `m` (unsigned) must carry a Signature, or undefined when it need not. */
function mustBeSigned(m: iso2.V2G_Message, body: string, contractSession: boolean): string | undefined {
  const b = m.Body;
  if (body === "AuthorizationReq" && b.AuthorizationReq?.GenChallenge !== undefined)
    return "an AuthorizationReq carrying GenChallenge is signed with the contract key ([V2G2-684])";
  if (body === "MeteringReceiptReq" && contractSession)
    return "with Contract payment the MeteringReceiptReq is signed with the contract key";
  if (body === "CertificateInstallationReq" || body === "CertificateUpdateReq")
    return `the ${body} element is signed by the EVCC`;
  const res = b.CertificateInstallationRes ?? b.CertificateUpdateRes;
  if (res && /^OK/.test(res.ResponseCode))
    return "the EVCC discards a certificate response whose signature does not verify";
  return undefined;
}

const refList = (c: SignatureCheck) =>
  c.references.map((r) => (r.element ? `${r.uri} ${r.element}` : r.uri)).join(", ") || "none";
