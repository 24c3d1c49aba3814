/**
 * Test PKI for the TLS transport: V2G root CA → CPO Sub-CA 1 → CPO Sub-CA 2 → SECC leaf, all
 * ECDSA P-256 / SHA-256 as in the ISO 15118-2 Annex F certificate profile, plus an expired SECC leaf and an
 * unrelated ("rogue") root with its own SECC leaf; and the ISO 15118-20 (TLS 1.3) trees of {@link TestPki20}:
 * P-521 / ECDSA-SHA512 V2G and OEM chains, an Ed448 SECC leaf, the vehicle certificate for mutual TLS.
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
  ecdsaWithSha512: "1.2.840.10045.4.3.4",
  ed448: "1.3.101.113",
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

/**
 * Key types of the test PKIs: P-256 for ISO 15118-2 ([V2G2-007]); P-521 and Ed448 for ISO 15118-20
 * ([V2G20-2674], [V2G20-2319]).
 */
export type TestKeyType = "p256" | "p521" | "ed448";

/** Length of the subjectPublicKey value: uncompressed EC point 04‖X‖Y, or the raw Ed448 key (RFC 8410 §3). */
const PUBLIC_KEY_BYTES: Record<TestKeyType, number> = { p256: 65, p521: 133, ed448: 57 };

function keyTypeOf(k: KeyObject): TestKeyType {
  if (k.asymmetricKeyType === "ed448") return "ed448";
  return k.asymmetricKeyDetails?.namedCurve === "secp521r1" ? "p521" : "p256";
}

function generateKey(type: TestKeyType): { privateKey: KeyObject; publicKey: KeyObject } {
  if (type === "ed448") return generateKeyPairSync("ed448");
  return generateKeyPairSync("ec", { namedCurve: type === "p521" ? "secp521r1" : "prime256v1" });
}

function keyId(pub: KeyObject): Uint8Array {
  // RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey BIT STRING value (the key bytes at the end
  // of the SPKI).
  const spki = pub.export({ type: "spki", format: "der" });
  return new Uint8Array(
    createHash("sha1")
      .update(spki.subarray(spki.length - PUBLIC_KEY_BYTES[keyTypeOf(pub)]))
      .digest(),
  );
}

/**
 * The issuer's signature: ecdsa-with-SHA256 for a P-256 issuer ([V2G2-006]), ecdsa-with-SHA512 for P-521
 * and Ed448 (RFC 8410 §3, no parameters) for the ISO 15118-20 profile.
 */
function signatureAlgorithm(signer: KeyObject): { alg: Uint8Array; hash: string | null } {
  const type = keyTypeOf(signer);
  if (type === "ed448") return { alg: seq(oid(OID.ed448)), hash: null };
  if (type === "p521") return { alg: seq(oid(OID.ecdsaWithSha512)), hash: "sha512" };
  return { alg: seq(oid(OID.ecdsaWithSha256)), hash: "sha256" };
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
  /** Subject key type (default p256). */
  keyType?: TestKeyType;
  /** End-entity KeyUsage bits (default digitalSignature + keyAgreement, the ISO 15118-2 test profiles). */
  leafUsage?: readonly number[];
}

/**
 * Generate a key (P-256 by default) and issue an X.509 v3 certificate, signed as {@link signatureAlgorithm} says for
 * the issuer's key.
 */
export function issue(req: IssueRequest): Issued {
  const { privateKey, publicKey } = generateKey(req.keyType ?? "p256");
  const signerKey = req.issuer?.privateKey ?? privateKey;
  const issuerName = req.issuer?.name ?? req.name;
  const issuerPub = req.issuer?.publicKey ?? publicKey;
  const serial = randomBytes(12);
  serial[0] = (serial[0]! & 0x7f) | 0x40;
  // The algorithm identifier inside the TBS must equal the outer one (RFC 5280 §4.1.1.2).
  const { alg, hash } = signatureAlgorithm(signerKey);
  const basic = req.ca === false ? seq() : req.ca === null ? seq(bool(true)) : seq(bool(true), uint(req.ca));
  const usage =
    req.ca === false
      ? [...(req.leafUsage ?? [KU.digitalSignature, KU.keyAgreement])]
      : [KU.keyCertSign, KU.cRLSign];
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
  const sig = hash ? sign(hash, tbs, { key: signerKey, dsaEncoding: "der" }) : sign(null, tbs, signerKey);
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
  /** The ISO 15118-20 (TLS 1.3) trees: P-521 / Ed448, separate from the P-256 ones above. */
  iso20: TestPki20;
}

/**
 * ISO 15118-20 TLS 1.3 material: its own V2G root (the -2 tree is P-256 and stays as it is; EVerest, too,
 * keeps separate -2 and -20 SECC leaves), the SECC leaf under CPO Sub-CA 1/2, an Ed448 SECC leaf under
 * the same Sub-CA 2, and the vehicle certificate for mutual TLS (CN = EVCCID, O = OEM) under an OEM root.
 * Every key is secp521r1 with ecdsa-with-SHA512 ([V2G20-2674]) except the Ed448 leaf ([V2G20-2319]).
 */
export interface TestPki20 {
  v2gRoot: Issued;
  cpoSubCa1: Issued;
  cpoSubCa2: Issued;
  seccLeaf: Issued;
  seccEd448Leaf: Issued;
  oemRoot: Issued;
  oemSubCa1: Issued;
  oemSubCa2: Issued;
  vehicleLeaf: Issued;
  /** Leaf, Sub-CA 2, Sub-CA 1 (root omitted). */
  seccChainPem: string;
  seccEd448ChainPem: string;
  vehicleChainPem: string;
}

/** Options: the clock (default now) and the SECC ID used as the leaf CN. */
export interface TestPkiOptions {
  now?: Date;
  seccId?: string;
  /** CN of the ISO 15118-20 vehicle certificate (the EVCCID; default "ZZNACSEV0000001"). */
  evccId?: string;
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
    iso20: makeTestPki20(opts),
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

/** Build the ISO 15118-20 trees alone (9 P-521 keys, 1 Ed448; tens of ms). */
export function makeTestPki20(opts: TestPkiOptions = {}): TestPki20 {
  const now = opts.now ?? new Date();
  const at = (days: number) => new Date(now.getTime() + days * DAY_MS);
  const keyType = "p521" as const;
  const ca = (CN: string, DC: string, ca: number | null, days: number, issuer?: Issued) =>
    issue({
      name: { CN, O: "nacs test", C: "ZZ", DC },
      notBefore: at(-1),
      notAfter: at(days),
      ca,
      keyType,
      ...(issuer ? { issuer } : {}),
    });
  const v2gRoot = ca("nacs test V2G Root CA -20", "V2G", null, 3650);
  const cpoSubCa1 = ca("nacs test CPO Sub-CA 1 -20", "V2G", 1, 1460, v2gRoot);
  const cpoSubCa2 = ca("nacs test CPO Sub-CA 2 -20", "V2G", 0, 365, cpoSubCa1);
  const leaf = (name: DistinguishedName, issuer: Issued, type: "p521" | "ed448") =>
    issue({
      name,
      notBefore: at(-1),
      notAfter: at(60),
      ca: false,
      issuer,
      keyType: type,
      leafUsage: [KU.digitalSignature],
    });
  const seccName = { CN: opts.seccId ?? "ZZ00000", O: "nacs test", C: "ZZ", DC: "CPO" };
  const seccLeaf = leaf(seccName, cpoSubCa2, "p521");
  const seccEd448Leaf = leaf(seccName, cpoSubCa2, "ed448");
  const oemRoot = ca("nacs test OEM Root CA", "OEM", null, 3650);
  const oemSubCa1 = ca("nacs test OEM Sub-CA 1", "OEM", 1, 1460, oemRoot);
  const oemSubCa2 = ca("nacs test OEM Sub-CA 2", "OEM", 0, 1460, oemSubCa1);
  const vehicleLeaf = leaf(
    { CN: opts.evccId ?? "ZZNACSEV0000001", O: "nacs test OEM", C: "ZZ", DC: "OEM" },
    oemSubCa2,
    "p521",
  );
  const sub = cpoSubCa2.certPem + cpoSubCa1.certPem;
  return {
    v2gRoot,
    cpoSubCa1,
    cpoSubCa2,
    seccLeaf,
    seccEd448Leaf,
    oemRoot,
    oemSubCa1,
    oemSubCa2,
    vehicleLeaf,
    seccChainPem: seccLeaf.certPem + sub,
    seccEd448ChainPem: seccEd448Leaf.certPem + sub,
    vehicleChainPem: vehicleLeaf.certPem + oemSubCa2.certPem + oemSubCa1.certPem,
  };
}

/** File names of the ISO 15118-20 material in a test-PKI directory. */
export const PKI20_FILES = {
  v2gRoot: "iso20-v2g-root.pem",
  cpoSubCa1: "iso20-cpo-sub-ca-1.pem",
  cpoSubCa2: "iso20-cpo-sub-ca-2.pem",
  seccLeaf: "iso20-secc-leaf.pem",
  seccKey: "iso20-secc-leaf.key",
  seccChain: "iso20-secc-chain.pem",
  seccEd448Leaf: "iso20-secc-ed448-leaf.pem",
  seccEd448Key: "iso20-secc-ed448-leaf.key",
  seccEd448Chain: "iso20-secc-ed448-chain.pem",
  oemRoot: "iso20-oem-root.pem",
  oemSubCa1: "iso20-oem-sub-ca-1.pem",
  oemSubCa2: "iso20-oem-sub-ca-2.pem",
  vehicleLeaf: "iso20-vehicle-leaf.pem",
  vehicleKey: "iso20-vehicle-leaf.key",
  vehicleChain: "iso20-vehicle-chain.pem",
} as const;

function writeFiles(dir: string, files: Record<string, string>): string[] {
  mkdirSync(dir, { recursive: true });
  return Object.entries(files).map(([f, text]) => {
    const p = join(dir, f);
    writeFileSync(p, text, { mode: f.endsWith(".key") ? 0o600 : 0o644 });
    return p;
  });
}

/** Write the ISO 15118-20 material as PEM files ({@link PKI20_FILES}) into `dir`; returns the paths. */
export function writeTestPki20(dir: string, p: TestPki20): string[] {
  const f = PKI20_FILES;
  return writeFiles(dir, {
    [f.v2gRoot]: p.v2gRoot.certPem,
    [f.cpoSubCa1]: p.cpoSubCa1.certPem,
    [f.cpoSubCa2]: p.cpoSubCa2.certPem,
    [f.seccLeaf]: p.seccLeaf.certPem,
    [f.seccKey]: p.seccLeaf.keyPem,
    [f.seccChain]: p.seccChainPem,
    [f.seccEd448Leaf]: p.seccEd448Leaf.certPem,
    [f.seccEd448Key]: p.seccEd448Leaf.keyPem,
    [f.seccEd448Chain]: p.seccEd448ChainPem,
    [f.oemRoot]: p.oemRoot.certPem,
    [f.oemSubCa1]: p.oemSubCa1.certPem,
    [f.oemSubCa2]: p.oemSubCa2.certPem,
    [f.vehicleLeaf]: p.vehicleLeaf.certPem,
    [f.vehicleKey]: p.vehicleLeaf.keyPem,
    [f.vehicleChain]: p.vehicleChainPem,
  });
}

/** Write the PKI (both trees) as PEM files into `dir`; returns the written paths. */
export function writeTestPki(dir: string, pki: TestPki): string[] {
  return [...writeTestPki2(dir, pki), ...writeTestPki20(dir, pki.iso20)];
}

function writeTestPki2(dir: string, pki: TestPki): string[] {
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
  return writeFiles(dir, files);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const dir = process.argv[2];
  if (!dir) {
    process.stderr.write("usage: tsx tools/pki/make-test-pki.ts OUTDIR\n");
    process.exit(2);
  }
  for (const p of writeTestPki(dir, makeTestPki())) process.stdout.write(`${p}\n`);
}
