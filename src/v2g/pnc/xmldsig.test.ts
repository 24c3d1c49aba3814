/**
 * XMLDSig over EXI (ISO 15118-2 profile): every signed message of the shared vectors whose signer's
 * certificate is in its session verifies; one flipped bit in a digested element or in the SignatureValue
 * is rejected with the named error; the public fragment digests match; our signatures verify with
 * `openssl dgst`; sign → verify round trip as a property.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { p256 } from "@noble/curves/nist.js";
import { sha256 } from "@noble/hashes/sha2.js";
import fc from "fast-check";
import { fromHex, loadVectors, sharedSkip, toHex } from "../../../tools/codegen/vectors.js";
import * as iso2 from "../../codecs/iso2/index.js";
import { checkSessionSignatures, type SignedMessageCheck } from "./signed-session.js";
import { findById, flipOneBit } from "./testing/flip.js";
import {
  digestElement,
  publicKeyFromDer,
  rawToDerSignature,
  signedInfoBytes,
  signFragments,
  verifySignature,
  XmlDsigError,
} from "./xmldsig.js";

const skipShared = sharedSkip("vectors");

/** The ISO-2 vectors grouped into sessions (by source), decoded, in file order. */
function sessions(): Map<string, iso2.V2G_Message[]> {
  const out = new Map<string, iso2.V2G_Message[]>();
  for (const v of loadVectors("iso2")) {
    let m: iso2.V2G_Message;
    try {
      m = iso2.decode(fromHex(v.hex));
    } catch {
      continue; // undecodable vectors are the codec tests' business
    }
    const src = String(v.source);
    out.set(src, [...(out.get(src) ?? []), m]);
  }
  return out;
}

/** A signed message that carries what it signs: every Reference names an element of its own body. */
const carriesSigned = (c: SignedMessageCheck) =>
  !(
    c.result.ok === false &&
    c.result.error.code === "SIG_REFERENCE" &&
    /no element with that Id/.test(c.result.error.message)
  );

function signedVectors() {
  const verifiable: { src: string; msgs: iso2.V2G_Message[]; c: SignedMessageCheck }[] = [];
  const other: string[] = [];
  for (const [src, msgs] of sessions())
    for (const c of checkSessionSignatures(msgs)) {
      const label = `${src.split(/[/ ]/).slice(-2).join(" ")} #${c.index} ${c.body} ${c.references.join(",")}`;
      if (c.keyFrom && carriesSigned(c)) verifiable.push({ src, msgs, c });
      else other.push(`${label}: ${c.result.ok ? "ok" : `${c.result.error.code} ${c.result.error.message}`}`);
    }
  return { verifiable, other };
}

/** The ConformanceTests backend signs SignedInfo with the full ISO-2 grammar and eMAID as EMAIDType (a known non-conforming signer). */
const KNOWN_NONCONFORMING = /ISO15118ConformanceTests/;

test(
  "vectors: every signed message with its signer's certificate in the session verifies",
  { skip: skipShared },
  (t) => {
    const { verifiable, other } = signedVectors();
    const good = verifiable.filter((x) => !KNOWN_NONCONFORMING.test(x.src));
    for (const { src, c } of good) {
      assert.ok(c.result.ok, `${src} #${c.index} ${c.body}: ${c.result.ok ? "" : c.result.error.message}`);
      t.diagnostic(
        `verified: ${c.body} [${c.references.join(",")}] with ${c.keyFrom} (${src.split(" ")[1]?.split("/").pop()})`,
      );
    }
    const bodies = good.map((x) => x.c.body);
    for (const b of [
      "AuthorizationReq",
      "MeteringReceiptReq",
      "CertificateInstallationReq",
      "CertificateInstallationRes",
      "CertificateUpdateReq",
      "CertificateUpdateRes",
    ])
      assert.ok(bodies.includes(b), `a signed ${b} is among the vectors`);
    assert.ok(good.length >= 10, `at least the 10 dsV2Gshark PnC signatures (got ${good.length})`);
    t.diagnostic(`${good.length} signed messages verify`);
    // the non-conforming backend: rejected, naming the eMAID reference
    for (const { c } of verifiable.filter((x) => KNOWN_NONCONFORMING.test(x.src))) {
      assert.equal(c.result.ok, false);
      if (!c.result.ok) {
        assert.equal(c.result.error.code, "SIG_DIGEST");
        t.diagnostic(`rejected as expected (full-grammar signer): ${c.body}: ${c.result.error.message}`);
      }
    }
    for (const o of other) t.diagnostic(`not verifiable here: ${o}`);
  },
);

test(
  "vectors: one flipped bit in a digested element or in SignatureValue is rejected with the named error",
  { skip: skipShared },
  (t) => {
    const { verifiable } = signedVectors();
    let cases = 0;
    for (const { msgs, c } of verifiable.filter((x) => !KNOWN_NONCONFORMING.test(x.src) && x.c.result.ok)) {
      const m = msgs[c.index]!;
      const key = m.Body.CertificateInstallationReq?.OEMProvisioningCert; // only for the sanity check below
      void key;
      for (const uri of c.references) {
        const copy = structuredClone(m);
        const el = findById(copy.Body, uri.slice(1));
        assert.ok(el && flipOneBit(el), `${c.body} ${uri}: something to flip`);
        const signer = checkSessionSignatures([...msgs.slice(0, c.index), copy]).at(-1)!;
        assert.equal(signer.result.ok, false, `${c.body} ${uri} flipped`);
        if (!signer.result.ok) {
          // CertificateUpdateReq: the signer's certificate is inside the flipped element, the digest fails first
          assert.equal(
            signer.result.error.code,
            "SIG_DIGEST",
            `${c.body} ${uri}: ${signer.result.error.message}`,
          );
          assert.equal(signer.result.error.reference, uri);
          assert.ok(signer.result.error instanceof XmlDsigError);
        }
        cases++;
      }
      const copy = structuredClone(m);
      copy.Header.Signature!.SignatureValue.CONTENT[17]! ^= 0x10;
      const r = checkSessionSignatures([...msgs.slice(0, c.index), copy]).at(-1)!;
      assert.equal(r.result.ok, false);
      if (!r.result.ok) assert.equal(r.result.error.code, "SIG_VALUE", r.result.error.message);
      cases++;
    }
    assert.ok(cases >= 20);
    t.diagnostic(`${cases} flipped-bit cases rejected`);
  },
);

test(
  "public fragment digests: RISE-V2G fragments and the eMAID (relaxed grammar) hash to their DigestValues",
  { skip: skipShared },
  () => {
    const vs = [
      ...loadVectors("fragments"),
      ...loadVectors("undecoded").filter((v) => v.message === "eMAID"),
    ];
    let n = 0;
    for (const v of vs) {
      if (!v.sha256) continue;
      const doc = iso2.decodeFragment(fromHex(v.hex));
      assert.equal(toHex(digestElement(doc)), v.sha256.toLowerCase(), `${v.message}`);
      n++;
    }
    assert.ok(n >= 4);
  },
);

const SPKI_P256_PREFIX = fromHex("3059301306072a8648ce3d020106082a8648ce3d030107034200");
const spkiOf = (pub: Uint8Array) => Uint8Array.from([...SPKI_P256_PREFIX, ...pub]);
const pem = (der: Uint8Array, label: string) =>
  `-----BEGIN ${label}-----\n${Buffer.from(der).toString("base64").replace(/.{64}/g, "$&\n")}\n-----END ${label}-----\n`;

function authorizationMessage(id: string, challenge: Uint8Array, sig?: iso2.SignatureType): iso2.V2G_Message {
  return {
    Header: { SessionID: fromHex("0102030405060708"), ...(sig ? { Signature: sig } : {}) },
    Body: { AuthorizationReq: { Id: id, GenChallenge: challenge } },
  };
}

let openssl: string | false = false;
try {
  execFileSync("openssl", ["version"], { stdio: "pipe" });
  openssl = "openssl";
} catch {}

test(
  "our signature verifies with openssl dgst -sha256 -verify over the SignedInfo EXI bytes",
  { skip: openssl ? false : "openssl not installed" },
  () => {
    const dir = mkdtempSync(join(tmpdir(), "nacs-xmldsig-"));
    try {
      for (let i = 0; i < 3; i++) {
        const priv = p256.utils.randomSecretKey();
        const pub = p256.getPublicKey(priv, false);
        const sig = signFragments(
          [{ AuthorizationReq: { Id: `ID${i}`, GenChallenge: sha256(Uint8Array.of(i)).slice(0, 16) } }],
          priv,
        );
        const si = signedInfoBytes(sig.SignedInfo);
        assert.equal(si.length, 209, "one-reference SignedInfo is 209 B with the xmldsig-alone grammar");
        writeFileSync(join(dir, "pub.pem"), pem(spkiOf(pub), "PUBLIC KEY"));
        writeFileSync(join(dir, "sig.der"), rawToDerSignature(sig.SignatureValue.CONTENT));
        writeFileSync(join(dir, "si.exi"), si);
        const out = execFileSync(
          "openssl",
          [
            "dgst",
            "-sha256",
            "-verify",
            join(dir, "pub.pem"),
            "-signature",
            join(dir, "sig.der"),
            join(dir, "si.exi"),
          ],
          { encoding: "utf8" },
        );
        assert.match(out, /Verified OK/);
        // and our verifier with the DER SubjectPublicKeyInfo
        assert.deepEqual(publicKeyFromDer(spkiOf(pub)), pub);
        assert.ok(
          verifySignature(
            authorizationMessage(`ID${i}`, sha256(Uint8Array.of(i)).slice(0, 16), sig),
            spkiOf(pub),
          ).ok,
        );
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

test("sign → encode → decode → verify round trip over random messages and keys (property)", () => {
  const N = p256.Point.CURVE().n;
  const scalar = fc.bigInt(1n, N - 1n).map((k) => fromHex(k.toString(16).padStart(64, "0")));
  const id = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.-]{0,8}$/);
  fc.assert(
    fc.property(
      scalar,
      scalar,
      id,
      fc.uint8Array({ minLength: 16, maxLength: 16 }),
      fc.boolean(),
      (k, other, i, challenge, metering) => {
        const el = metering
          ? {
              MeteringReceiptReq: {
                Id: i,
                SessionID: challenge.slice(0, 8),
                SAScheduleTupleID: 1,
                MeterInfo: { MeterID: "M1" },
              },
            }
          : { AuthorizationReq: { Id: i, GenChallenge: challenge } };
        const Signature = signFragments([el], k);
        const msg = { Header: { SessionID: challenge.slice(0, 8), Signature }, Body: el } as iso2.V2G_Message;
        const back = iso2.decode(iso2.encode(msg));
        const pub = p256.getPublicKey(k, false);
        const r = verifySignature(back, pub);
        assert.ok(r.ok, r.ok ? "" : r.error.message);
        if (toHex(other) !== toHex(k)) {
          const bad = verifySignature(back, p256.getPublicKey(other, true));
          assert.equal(bad.ok, false);
          if (!bad.ok) assert.equal(bad.error.code, "SIG_VALUE");
        }
      },
    ),
    { numRuns: 60 },
  );
});

test("profile and input errors are named (no crash on bad input)", () => {
  const priv = p256.utils.randomSecretKey();
  const pub = p256.getPublicKey(priv, false);
  const el = { AuthorizationReq: { Id: "ID1", GenChallenge: new Uint8Array(16) } };
  const sig = signFragments([el], priv);
  const code = (m: iso2.V2G_Message, key: Uint8Array = pub) => {
    const r = verifySignature(m, key);
    return r.ok ? "ok" : r.error.code;
  };
  assert.equal(code(authorizationMessage("ID1", new Uint8Array(16), sig)), "ok");
  assert.equal(code(authorizationMessage("ID1", new Uint8Array(16))), "SIG_MISSING");
  const wrongAlg = structuredClone(sig);
  wrongAlg.SignedInfo.SignatureMethod.Algorithm = "http://www.w3.org/2000/09/xmldsig#rsa-sha1";
  assert.equal(code(authorizationMessage("ID1", new Uint8Array(16), wrongAlg)), "SIG_PROFILE");
  assert.equal(code(authorizationMessage("ID2", new Uint8Array(16), sig)), "SIG_REFERENCE");
  const short = structuredClone(sig);
  short.SignatureValue.CONTENT = short.SignatureValue.CONTENT.slice(0, 63);
  assert.equal(code(authorizationMessage("ID1", new Uint8Array(16), short)), "SIG_VALUE");
  assert.equal(code(authorizationMessage("ID1", new Uint8Array(16), sig), new Uint8Array(10)), "SIG_KEY");
  assert.equal(
    code(authorizationMessage("ID1", new Uint8Array(16), sig), Uint8Array.of(0x30, 0x82, 0xff)),
    "SIG_KEY",
  );
  assert.throws(
    () => signFragments([el, el, el, el, el], priv),
    (e: Error) => e instanceof XmlDsigError && e.code === "SIG_PROFILE",
  );
  assert.throws(
    () => signFragments([{ AuthorizationReq: { GenChallenge: new Uint8Array(16) } }], priv),
    /no Id/,
  );
  // truncated certificates never crash
  const spki = spkiOf(pub);
  for (let n = 0; n < spki.length; n++)
    assert.throws(() => publicKeyFromDer(spki.subarray(0, n)), XmlDsigError);
});

test(
  "SalesTariff (one Reference per tariff) and CertificateInstallationRes (four References) sign and verify",
  { skip: skipShared },
  () => {
    const priv = p256.utils.randomSecretKey();
    const pub = p256.getPublicKey(priv, false);
    // SalesTariff: RISE-V2G's fragment vector, twice with Ids, in a ChargeParameterDiscoveryRes
    const st = iso2.decodeFragment(fromHex("80ae4008000cfa00")).SalesTariff as iso2.SalesTariffType;
    const tariffs = [
      { ...structuredClone(st), Id: "st1" },
      { ...structuredClone(st), Id: "st2", SalesTariffID: 2 },
    ];
    const Signature = signFragments(
      tariffs.map((x) => ({ SalesTariff: x })),
      priv,
    );
    assert.equal(Signature.SignedInfo.Reference.length, 2);
    const cpd = {
      Header: { SessionID: new Uint8Array(8), Signature },
      Body: {
        ChargeParameterDiscoveryRes: {
          SAScheduleList: {
            SAScheduleTuple: tariffs.map((x, i) => ({ SAScheduleTupleID: i + 1, SalesTariff: x })),
          },
        },
      },
    } as unknown as iso2.V2G_Message;
    // the EVCC verifies with the MO Sub-CA 2 of its own contract chain (first SubCertificate of PaymentDetailsReq)
    const pdr = {
      Header: { SessionID: new Uint8Array(8) },
      Body: {
        PaymentDetailsReq: {
          eMAID: "DEABC123456789",
          ContractSignatureCertChain: {
            Certificate: new Uint8Array(1),
            SubCertificates: { Certificate: [spkiOf(pub)] },
          },
        },
      },
    } as unknown as iso2.V2G_Message;
    const c = checkSessionSignatures([pdr, cpd])[0]!;
    assert.ok(c.result.ok, c.result.ok ? "" : c.result.error.message);
    assert.equal(c.keyFrom, "PaymentDetailsReq MO Sub-CA 2");
    // a tariff left out of the signature is named
    const partial = structuredClone(cpd);
    partial.Header.Signature = signFragments([{ SalesTariff: tariffs[0] }], priv);
    const r = verifySignature(partial, pub);
    assert.equal(r.ok, false);
    if (!r.ok) assert.match(r.error.message, /SalesTariff \(Id st2\) is not referenced/);

    // CertificateInstallationRes of the dsV2Gshark session, re-signed with our key: four references incl. eMAID
    const res = [...sessions().values()]
      .flat()
      .find((m) => m.Body.CertificateInstallationRes && m.Header.Signature)!;
    const b = res.Body.CertificateInstallationRes!;
    const signed = structuredClone(res);
    signed.Header.Signature = signFragments(
      [
        { ContractSignatureCertChain: b.ContractSignatureCertChain },
        { ContractSignatureEncryptedPrivateKey: b.ContractSignatureEncryptedPrivateKey },
        { DHpublickey: b.DHpublickey },
        { eMAID: b.eMAID },
      ],
      priv,
    );
    assert.equal(
      signedInfoBytes(signed.Header.Signature.SignedInfo).length,
      559,
      "4-reference SignedInfo is 559 B",
    );
    // the references carry the same digests as the dsV2Gshark signer's
    assert.deepEqual(
      signed.Header.Signature.SignedInfo.Reference.map((x) => toHex(x.DigestValue)),
      res.Header.Signature!.SignedInfo.Reference.map((x) => toHex(x.DigestValue)),
    );
    const back = iso2.decode(iso2.encode(signed));
    const ok = verifySignature(back, pub);
    assert.ok(ok.ok, ok.ok ? "" : ok.error.message);
    assert.deepEqual(
      ok.references.map((x) => x.element),
      ["ContractSignatureCertChain", "ContractSignatureEncryptedPrivateKey", "DHpublickey", "eMAID"],
    );
  },
);
