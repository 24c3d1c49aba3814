/**
 * OCPP 2.0.1 C07 hash data of a contract chain: per certificate whose issuer is in the chain, the SHA-256 of
 * the issuer's subject name and of its public key, the serial in hex without leading zeros, and the AIA
 * OCSP responder URL — checked against values computed here another way (the issuer's subject DER and the
 * tail of its SubjectPublicKeyInfo), on a PKI issued by `nacs pki`'s issuer and a certificate with AIA.
 */
import "reflect-metadata";
import assert from "node:assert/strict";
import { createHash, webcrypto } from "node:crypto";
import { test } from "node:test";
import * as x509 from "@peculiar/x509";
import { issuePncPki } from "../pki/issuer.js";
import { contractHashData, OCPP_CERT_HASH_DATA_MAX } from "./contract-hash.js";

const sha256 = (b: ArrayBuffer | Uint8Array) => createHash("sha256").update(new Uint8Array(b)).digest("hex");
const der = (c: x509.X509Certificate) => new Uint8Array(c.rawData);

test("contract chain: leaf under MO Sub-CA 2, Sub-CA 2 under Sub-CA 1; hashes, serials as OCPP writes them", async () => {
  const pki = await issuePncPki();
  const leaf = pki["contract-leaf"].cert;
  const sub2 = pki["mo-sub-ca-2"].cert;
  const sub1 = pki["mo-sub-ca-1"].cert;
  const data = contractHashData(der(leaf), [der(sub2), der(sub1)]);
  assert.equal(data.length, 2, "the root is not in the chain the EV sends: two entries");
  for (const [i, [cert, issuer]] of [
    [leaf, sub2],
    [sub2, sub1],
  ].entries()) {
    const spki = new Uint8Array(issuer!.publicKey.rawData);
    // an uncompressed P-256 point is the last 65 bytes of the SubjectPublicKeyInfo
    assert.deepEqual(data[i], {
      hashAlgorithm: "SHA256",
      issuerNameHash: sha256(issuer!.subjectName.toArrayBuffer()),
      issuerKeyHash: sha256(spki.subarray(spki.length - 65)),
      serialNumber: cert!.serialNumber.toLowerCase().replace(/^(00)+/, ""),
      responderURL: "",
    });
  }
  assert.deepEqual(contractHashData(der(leaf), []), [], "no issuer, no entry");
});

test("the OCSP responder URL of the AIA extension; at most 4 entries", async () => {
  const crypto = webcrypto as unknown as Crypto;
  const alg = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
  const keys = (await crypto.subtle.generateKey(alg, true, ["sign", "verify"])) as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: "00ff01",
      name: "CN=test",
      keys,
      signingAlgorithm: alg,
      extensions: [new x509.AuthorityInfoAccessExtension({ ocsp: ["http://ocsp.example.net/mo"] })],
    },
    crypto,
  );
  const d = contractHashData(der(cert), [der(cert)]);
  assert.equal(d[0]?.responderURL, "http://ocsp.example.net/mo");
  assert.equal(d[0]?.serialNumber, "ff01", "no leading zeros");
  const long = contractHashData(der(cert), Array(6).fill(der(cert)));
  assert.equal(long.length, OCPP_CERT_HASH_DATA_MAX);
});
