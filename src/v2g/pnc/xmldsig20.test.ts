/**
 * XMLDSig over EXI for ISO 15118-20 (`xmldsig20.ts`, the ISO-2 code with the CommonMessages codec and the -20
 * algorithms): sign → verify round trip of a signed AuthorizationReq (PnC_AReqAuthorizationMode with @Id) as a
 * property; one flipped bit in the signed element, a DigestValue or the SignatureValue is rejected with the
 * named error; P-521/SHA-512 on the wire ([V2G20-2674]); P-256/SHA-256 only with the lab option; the ISO-2
 * verifier and the -20 verifier do not accept each other's signatures.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { p256, p521 } from "@noble/curves/nist.js";
import { sha512 } from "@noble/hashes/sha2.js";
import fc from "fast-check";
import * as iso20Common from "../../codecs/iso20_common/index.js";
import { DIGEST_SHA512, ECDSA_SHA512, verifySignature } from "./xmldsig.js";
import {
  ECDSA_P521_SHA512,
  ISO2_ECDSA_P256_SHA256,
  ISO20_LAB_SIGNATURE_ALGORITHMS,
  signIso20,
  verifyIso20Signature,
} from "./xmldsig20.js";

type Mode = iso20Common.PnC_AReqAuthorizationModeType;

const mode = (id: string, challenge: Uint8Array, leaf: Uint8Array, subs: Uint8Array[]): Mode => ({
  Id: id,
  GenChallenge: challenge,
  ContractCertificateChain: { Certificate: leaf, SubCertificates: { Certificate: subs } },
});

/** A signed -20 AuthorizationReq as the EVCC sends it (decoded form). */
function signedReq(m: Mode, key: Uint8Array) {
  const Signature = signIso20([{ PnC_AReqAuthorizationMode: m }], key);
  return {
    AuthorizationReq: {
      Header: { SessionID: Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8), TimeStamp: 1_700_000_000n, Signature },
      SelectedAuthorizationService: "PnC" as const,
      PnC_AReqAuthorizationMode: m,
    },
  };
}

/** Through the CommonMessages codec and back: what the SECC verifies. */
const wire = (doc: ReturnType<typeof signedReq>) =>
  iso20Common.decodeDocument(iso20Common.encodeDocument(doc)) as Record<string, unknown>;

const KEY = p521.utils.randomSecretKey();
const PUB = p521.getPublicKey(KEY, false);
const M = mode("ID1", new Uint8Array(16).fill(0x5a), new Uint8Array(400).fill(1), [
  new Uint8Array(300).fill(2),
]);

const arbMode = fc
  .record({
    id: fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.-]{0,8}$/),
    challenge: fc.uint8Array({ minLength: 16, maxLength: 16 }),
    leaf: fc.uint8Array({ minLength: 1, maxLength: 1600 }),
    subs: fc.array(fc.uint8Array({ minLength: 1, maxLength: 1600 }), { minLength: 1, maxLength: 3 }),
  })
  .map((r) => mode(r.id, r.challenge, r.leaf, r.subs));

test("xmldsig20: a -20 signature is ECDSA P-521 over SignedInfo with SHA-512 digests of the CommonMessages fragment", () => {
  const doc = signedReq(M, KEY);
  const sig = doc.AuthorizationReq.Header.Signature;
  assert.equal(sig.SignedInfo.SignatureMethod.Algorithm, ECDSA_SHA512);
  assert.equal(sig.SignedInfo.Reference.length, 1);
  const ref = sig.SignedInfo.Reference[0]!;
  assert.equal(ref.URI, "#ID1");
  assert.equal(ref.DigestMethod.Algorithm, DIGEST_SHA512);
  assert.deepEqual(ref.DigestValue, sha512(iso20Common.encodeFragment({ PnC_AReqAuthorizationMode: M })));
  assert.equal(sig.SignatureValue.CONTENT.length, 132, "r‖s, 66 bytes each");
  const si = iso20Common.encodeXmldsigFragment({ SignedInfo: sig.SignedInfo });
  assert.ok(p521.verify(sig.SignatureValue.CONTENT, si, PUB, { prehash: true, lowS: false }));
});

test("xmldsig20: sign → encode → decode → verify round trip (property)", () => {
  fc.assert(
    fc.property(arbMode, (m) => {
      const r = verifyIso20Signature(wire(signedReq(m, KEY)), PUB);
      assert.ok(r.ok, r.ok ? "" : r.error.message);
      assert.deepEqual(r.references, [{ uri: `#${m.Id}`, element: "PnC_AReqAuthorizationMode" }]);
    }),
    { numRuns: 25, seed: 20_2674 },
  );
});

test("xmldsig20: one flipped bit in the signed element, a DigestValue or the SignatureValue is rejected (property)", () => {
  const doc = signedReq(M, KEY);
  const bytes = iso20Common.encodeDocument(doc);
  const sig = doc.AuthorizationReq.Header.Signature;
  fc.assert(
    fc.property(
      fc.constantFrom("challenge", "leaf", "digest", "value"),
      fc.nat(),
      fc.integer({ min: 0, max: 7 }),
      (where, at, bit) => {
        const d = wire(doc) as ReturnType<typeof signedReq>;
        const m = d.AuthorizationReq.PnC_AReqAuthorizationMode;
        const s = d.AuthorizationReq.Header.Signature;
        const target =
          where === "challenge"
            ? m.GenChallenge
            : where === "leaf"
              ? m.ContractCertificateChain.Certificate
              : where === "digest"
                ? s.SignedInfo.Reference[0]!.DigestValue
                : s.SignatureValue.CONTENT;
        target[at % target.length]! ^= 1 << bit;
        const r = verifyIso20Signature(d, PUB);
        assert.equal(r.ok, false, `${where}[${at % target.length}] bit ${bit} accepted`);
        if (!r.ok) assert.equal(r.error.code, where === "value" ? "SIG_VALUE" : "SIG_DIGEST");
      },
    ),
    { numRuns: 40, seed: 7 },
  );
  // the untouched message still verifies (the mutation, not the fixture, is rejected)
  assert.ok(verifyIso20Signature(iso20Common.decodeDocument(bytes) as Record<string, unknown>, PUB).ok);
  assert.equal(sig.SignatureValue.CONTENT.length, 132);
});

test("xmldsig20: a P-256 signature is refused by default and accepted with the lab algorithms", () => {
  const k = p256.utils.randomSecretKey();
  const doc = wire(signedReq(M, k));
  const r = verifyIso20Signature(doc, p256.getPublicKey(k, false));
  assert.equal(r.ok, false);
  if (!r.ok) {
    assert.equal(r.error.code, "SIG_PROFILE");
    assert.match(r.error.message, /SignatureMethod: Algorithm must be .*ecdsa-sha512/);
  }
  const lab = verifyIso20Signature(doc, p256.getPublicKey(k, false), {
    algorithms: ISO20_LAB_SIGNATURE_ALGORITHMS,
  });
  assert.ok(lab.ok, lab.ok ? "" : lab.error.message);
});

test("xmldsig20: the wrong key, an unsigned PnC mode, a missing signature are named", () => {
  const other = p521.getPublicKey(p521.utils.randomSecretKey(), false);
  const bad = verifyIso20Signature(wire(signedReq(M, KEY)), other);
  assert.ok(!bad.ok && bad.error.code === "SIG_VALUE" && /P-521/.test(bad.error.message));
  // a signature over another element leaves PnC_AReqAuthorizationMode unreferenced
  const doc = signedReq(M, KEY);
  const m2 = { ...M, Id: "ID2" };
  (doc.AuthorizationReq as { PnC_AReqAuthorizationMode: Mode }).PnC_AReqAuthorizationMode = m2;
  const moved = verifyIso20Signature(wire(doc), PUB);
  assert.ok(!moved.ok && moved.error.code === "SIG_REFERENCE", moved.ok ? "" : moved.error.message);
  const { Signature: _s, ...header } = doc.AuthorizationReq.Header;
  const unsigned = verifyIso20Signature(
    { AuthorizationReq: { ...doc.AuthorizationReq, Header: header } },
    PUB,
  );
  assert.ok(!unsigned.ok && unsigned.error.code === "SIG_MISSING");
  // a P-521 DER certificate key works as the verify key (SubjectPublicKeyInfo)
  const spki = Uint8Array.from([
    ...[0x30, 0x81, 0x9b, 0x30, 0x10, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01],
    ...[0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x23, 0x03, 0x81, 0x86, 0x00],
    ...PUB,
  ]);
  assert.ok(verifyIso20Signature(wire(signedReq(M, KEY)), spki).ok);
});

test("xmldsig20: the ISO-2 profile and the -20 profile do not accept each other's algorithms", () => {
  const sig = signedReq(M, KEY).AuthorizationReq.Header.Signature;
  const r = verifySignature(
    {
      Header: { SessionID: new Uint8Array(8), Signature: sig as never },
      Body: { AuthorizationReq: { Id: "ID1", GenChallenge: M.GenChallenge } },
    },
    PUB,
  );
  assert.ok(!r.ok && r.error.code === "SIG_PROFILE", "a P-521/SHA-512 signature in an ISO-2 message");
  assert.equal(ECDSA_P521_SHA512.curve, "P-521");
  assert.equal(ISO2_ECDSA_P256_SHA256.curve, "P-256");
});

test("xmldsig20: a -20 CertificateInstallationReq signs its OEMProvisioningCertificateChain; leaving it out is refused", () => {
  const chain = {
    Id: "OEM1",
    Certificate: new Uint8Array(600).fill(9),
    SubCertificates: { Certificate: [new Uint8Array(500).fill(8)] },
  };
  const body = {
    OEMProvisioningCertificateChain: chain,
    ListOfRootCertificateIDs: {
      RootCertificateID: [{ X509IssuerName: "CN=V2G Root CA", X509SerialNumber: 1n }],
    },
    MaximumContractCertificateChains: 1,
  };
  const Signature = signIso20([{ OEMProvisioningCertificateChain: chain }], KEY);
  const doc = {
    CertificateInstallationReq: {
      Header: { SessionID: new Uint8Array(8), TimeStamp: 0n, Signature },
      ...body,
    },
  };
  const back = iso20Common.decodeDocument(iso20Common.encodeDocument(doc as never)) as Record<
    string,
    unknown
  >;
  const r = verifyIso20Signature(back, PUB);
  assert.ok(r.ok, r.ok ? "" : r.error.message);
  assert.deepEqual(r.references, [{ uri: "#OEM1", element: "OEMProvisioningCertificateChain" }]);
  // the same signature over a request whose chain carries another Id covers nothing of it
  const moved = {
    CertificateInstallationReq: {
      ...doc.CertificateInstallationReq,
      OEMProvisioningCertificateChain: { ...chain, Id: "OEM2" },
    },
  };
  const bad = verifyIso20Signature(moved, PUB);
  assert.ok(!bad.ok && bad.error.code === "SIG_REFERENCE");
});
