/**
 * Test PKI for the TLS transport (issue 4 §2): V2G root CA → CPO Sub-CA 1 → CPO Sub-CA 2 → SECC leaf, all
 * ECDSA P-256 / SHA-256 as in the ISO 15118-2 Annex F certificate profile, plus an expired SECC leaf and an
 * unrelated ("rogue") root with its own SECC leaf.
 *
 * Node can sign but not build X.509, so this file carries a minimal DER certificate builder (der.ts) and
 * signs with node:crypto (`dsaEncoding: "der"`). Choice: no dependency on the `openssl` CLI, so tests run
 * anywhere Node runs; keys are generated fresh each time (nothing secret is committed).
 *
 * CLI: `npx tsx tools/pki/make-test-pki.ts OUTDIR` writes *.pem files (see {@link writeTestPki}).
 */
import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import {
  bits,
  bool,
  explicit,
  ia5,
  implicitPrim,
  namedBits,
  octets,
  oid,
  printable,
  seq,
  set,
  time,
  uint,
  utf8,
} from "./der.js";

const OID = {
  ecdsaWithSha256: "1.2.840.10045.4.3.2",
  commonName: "2.5.4.3",
  organization: "2.5.4.10",
  country: "2.5.4.6",
  domainComponent: "0.9.2342.19200300.100.1.25",
  basicConstraints: "2.5.29.19",
  keyUsage: "2.5.29.15",
  subjectKeyId: "2.5.29.14",
  authorityKeyId: "2.5.29.35",
} as const;

/** KeyUsage bit numbers (RFC 5280 §4.2.1.3). */
const KU = { digitalSignature: 0, keyAgreement: 4, keyCertSign: 5, cRLSign: 6 } as const;

const DAY_MS = 86_400_000;

/** Subject / issuer name fields. */
export interface DistinguishedName {
  CN: string;
  O?: string;
  C?: string;
  DC?: string;
}

/** One certificate with its key. */
export interface Issued {
  name: DistinguishedName;
  certDer: Uint8Array;
  certPem: string;
  keyPem: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  notBefore: Date;
  notAfter: Date;
}

function nameDer(n: DistinguishedName): Uint8Array {
  const rdns: Uint8Array[] = [];
  if (n.C) rdns.push(set(seq(oid(OID.country), printable(n.C))));
  if (n.O) rdns.push(set(seq(oid(OID.organization), utf8(n.O))));
  if (n.DC) rdns.push(set(seq(oid(OID.domainComponent), ia5(n.DC))));
  rdns.push(set(seq(oid(OID.commonName), utf8(n.CN))));
  return seq(...rdns);
}

function ext(id: string, critical: boolean, value: Uint8Array): Uint8Array {
  return critical ? seq(oid(id), bool(true), octets(value)) : seq(oid(id), octets(value));
}

function keyId(pub: KeyObject): Uint8Array {
  // RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey BIT STRING value (65-byte uncompressed point
  // at the end of the P-256 SPKI).
  const spki = pub.export({ type: "spki", format: "der" });
  return new Uint8Array(
    createHash("sha1")
      .update(spki.subarray(spki.length - 65))
      .digest(),
  );
}

function pem(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der)
    .toString("base64")
    .replace(/.{1,64}/g, "$&\n");
  return `-----BEGIN ${label}-----\n${b64}-----END ${label}-----\n`;
}

/** Certificate request for {@link issue}. */
export interface IssueRequest {
  name: DistinguishedName;
  notBefore: Date;
  notAfter: Date;
  /** CA with this pathLenConstraint (undefined → no constraint); `false` → end-entity. */
  ca: number | null | false;
  /** Issuer; omit for self-signed. */
  issuer?: Issued;
}

/** Generate a P-256 key and issue an X.509 v3 certificate signed with ECDSA-SHA256. */
export function issue(req: IssueRequest): Issued {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const signerKey = req.issuer?.privateKey ?? privateKey;
  const issuerName = req.issuer?.name ?? req.name;
  const issuerPub = req.issuer?.publicKey ?? publicKey;
  const serial = randomBytes(12);
  serial[0] = (serial[0]! & 0x7f) | 0x40;
  const alg = seq(oid(OID.ecdsaWithSha256));
  const basic = req.ca === false ? seq() : req.ca === null ? seq(bool(true)) : seq(bool(true), uint(req.ca));
  const usage = req.ca === false ? [KU.digitalSignature, KU.keyAgreement] : [KU.keyCertSign, KU.cRLSign];
  const extensions = [
    ext(OID.basicConstraints, true, basic),
    ext(OID.keyUsage, true, namedBits(usage)),
    ext(OID.subjectKeyId, false, octets(keyId(publicKey))),
    ext(OID.authorityKeyId, false, seq(implicitPrim(0, keyId(issuerPub)))),
  ];
  const tbs = seq(
    explicit(0, uint(2)),
    uint(serial),
    alg,
    nameDer(issuerName),
    seq(time(req.notBefore), time(req.notAfter)),
    nameDer(req.name),
    new Uint8Array(publicKey.export({ type: "spki", format: "der" })),
    explicit(3, seq(...extensions)),
  );
  const sig = sign("sha256", tbs, { key: signerKey, dsaEncoding: "der" });
  const certDer = seq(tbs, alg, bits(new Uint8Array(sig)));
  return {
    name: req.name,
    certDer,
    certPem: pem("CERTIFICATE", certDer),
    keyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    privateKey,
    publicKey,
    notBefore: req.notBefore,
    notAfter: req.notAfter,
  };
}

/** The generated test PKI. */
export interface TestPki {
  v2gRoot: Issued;
  cpoSubCa1: Issued;
  cpoSubCa2: Issued;
  seccLeaf: Issued;
  /** Same issuer as seccLeaf, validity ended yesterday. */
  seccLeafExpired: Issued;
  /** A root the EVCC does not trust, and an SECC leaf it issued directly. */
  rogueRoot: Issued;
  rogueSeccLeaf: Issued;
  /** PEM the SECC serves: leaf, Sub-CA 2, Sub-CA 1 (root omitted, ISO 15118-2 [V2G2-??] chain order). */
  seccChainPem: string;
  seccExpiredChainPem: string;
  rogueChainPem: string;
}

/** Options: the clock (default now) and the SECC ID used as the leaf CN. */
export interface TestPkiOptions {
  now?: Date;
  seccId?: string;
}

/** Build the test PKI in memory (6 P-256 keys; a few ms). */
export function makeTestPki(opts: TestPkiOptions = {}): TestPki {
  const now = opts.now ?? new Date();
  const at = (days: number) => new Date(now.getTime() + days * DAY_MS);
  const seccId = opts.seccId ?? "ZZ00000";
  const v2gRoot = issue({
    name: { CN: "nacs test V2G Root CA", O: "nacs test", C: "ZZ", DC: "V2G" },
    notBefore: at(-1),
    notAfter: at(3650),
    ca: null,
  });
  const cpoSubCa1 = issue({
    name: { CN: "nacs test CPO Sub-CA 1", O: "nacs test", C: "ZZ", DC: "V2G" },
    notBefore: at(-1),
    notAfter: at(1460),
    ca: 1,
    issuer: v2gRoot,
  });
  const cpoSubCa2 = issue({
    name: { CN: "nacs test CPO Sub-CA 2", O: "nacs test", C: "ZZ", DC: "V2G" },
    notBefore: at(-1),
    notAfter: at(365),
    ca: 0,
    issuer: cpoSubCa1,
  });
  const leafName = { CN: seccId, O: "nacs test", C: "ZZ", DC: "CPO" };
  const seccLeaf = issue({
    name: leafName,
    notBefore: at(-1),
    notAfter: at(60),
    ca: false,
    issuer: cpoSubCa2,
  });
  const seccLeafExpired = issue({
    name: leafName,
    notBefore: at(-30),
    notAfter: at(-1),
    ca: false,
    issuer: cpoSubCa2,
  });
  const rogueRoot = issue({
    name: { CN: "rogue Root CA", O: "rogue", C: "ZZ" },
    notBefore: at(-1),
    notAfter: at(3650),
    ca: null,
  });
  const rogueSeccLeaf = issue({
    name: leafName,
    notBefore: at(-1),
    notAfter: at(60),
    ca: false,
    issuer: rogueRoot,
  });
  const sub = cpoSubCa2.certPem + cpoSubCa1.certPem;
  return {
    v2gRoot,
    cpoSubCa1,
    cpoSubCa2,
    seccLeaf,
    seccLeafExpired,
    rogueRoot,
    rogueSeccLeaf,
    seccChainPem: seccLeaf.certPem + sub,
    seccExpiredChainPem: seccLeafExpired.certPem + sub,
    rogueChainPem: rogueSeccLeaf.certPem,
  };
}

/** Write the PKI as PEM files into `dir`; returns the written paths. */
export function writeTestPki(dir: string, pki: TestPki): string[] {
  mkdirSync(dir, { recursive: true });
  const files: Record<string, string> = {
    "v2g-root.pem": pki.v2gRoot.certPem,
    "cpo-sub-ca-1.pem": pki.cpoSubCa1.certPem,
    "cpo-sub-ca-2.pem": pki.cpoSubCa2.certPem,
    "secc-leaf.pem": pki.seccLeaf.certPem,
    "secc-leaf.key": pki.seccLeaf.keyPem,
    "secc-chain.pem": pki.seccChainPem,
    "secc-expired-chain.pem": pki.seccExpiredChainPem,
    "secc-expired.key": pki.seccLeafExpired.keyPem,
    "rogue-root.pem": pki.rogueRoot.certPem,
    "rogue-chain.pem": pki.rogueChainPem,
    "rogue-secc.key": pki.rogueSeccLeaf.keyPem,
  };
  return Object.entries(files).map(([f, text]) => {
    const p = join(dir, f);
    writeFileSync(p, text, { mode: f.endsWith(".key") ? 0o600 : 0o644 });
    return p;
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const dir = process.argv[2];
  if (!dir) {
    process.stderr.write("usage: tsx tools/pki/make-test-pki.ts OUTDIR\n");
    process.exit(2);
  }
  for (const p of writeTestPki(dir, makeTestPki())) process.stdout.write(`${p}\n`);
}
