/**
 * Local CPS and the EVCC's acceptance of its responses (ISO 15118-2 CertificateInstallation / Update):
 * the response verifies with `verifySignature` (CPS leaf, 4 References id1..id4), the envelope opens with the
 * receiver key to the pool's contract key ([V2G2-820], [V2G2-821], [V2G2-823]), and a flipped bit anywhere
 * in the encoded response is rejected (decode error, or PncError from `acceptCertRes`).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import * as iso2 from "../../codecs/iso2/index.js";
import { acceptCertRes, buildInstallationReq, buildUpdateReq, rootCertificateIds } from "./cert-evcc.js";
import { readCertFields, rfc4514 } from "./cert-fields.js";
import { CPS_IDS, createLocalCps } from "./cps.js";
import { decryptContractKey } from "./envelope.js";
import { PncError } from "./pnc-errors.js";
import { pncFixture, x509ChainValidator } from "./testing/fixture.js";
import { verifySignature } from "./xmldsig.js";

const SID = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8);
const eq = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

async function installRes() {
  const f = await pncFixture();
  const req = buildInstallationReq(f.oem.cert, f.oem.key, f.roots);
  const a = f.cps.install(req.body);
  const message: iso2.V2G_Message = {
    Header: { SessionID: SID, Signature: a.signature },
    Body: { CertificateInstallationRes: a.body },
  };
  return { f, a, message };
}

test("CPS install: the response verifies with the CPS leaf (4 References id1..id4) and decrypts with the OEM key to the pool's key", async () => {
  const { f, a, message } = await installRes();
  const v = verifySignature(message, f.cpsChain.leaf);
  assert.ok(v.ok, v.ok ? "" : v.error.message);
  assert.deepEqual(
    v.references.map((r) => r.uri).sort(),
    Object.values(CPS_IDS)
      .map((id) => `#${id}`)
      .sort(),
  );
  const d = decryptContractKey({
    dhPublicKey: a.body.DHpublickey.CONTENT,
    encryptedPrivateKey: a.body.ContractSignatureEncryptedPrivateKey.CONTENT,
    receiverPrivateKey: f.oem.key,
    expectedPublicKey: readCertFields(f.contracts[0].chain.leaf).publicKey,
  });
  assert.ok(eq(d, f.contracts[0].privateKey));
  assert.equal(a.body.eMAID.CONTENT, f.contracts[0].emaid);
  assert.ok(eq(a.body.SAProvisioningCertificateChain.Certificate, f.cpsChain.leaf));
  // and the message survives the ISO-2 codec with its signature intact
  const back = iso2.decode(iso2.encode(message));
  assert.ok(verifySignature(back, f.cpsChain.leaf).ok);
  // a key other than the CPS leaf does not verify it
  assert.equal(verifySignature(message, f.oem.cert).ok, false);
});

test("CPS update: encrypted for the old contract key, a new contract of the same eMAID, RetryCounter sent", async () => {
  const f = await pncFixture();
  const old = {
    chain: f.contracts[0].chain,
    privateKey: f.contracts[0].privateKey,
    emaid: f.contracts[0].emaid,
    notAfterS: 0,
  };
  const req = buildUpdateReq(old, f.roots);
  const a = f.cps.update(req.body);
  assert.equal(a.body.RetryCounter, 0);
  assert.ok(eq(a.body.ContractSignatureCertChain.Certificate, f.contracts[1].chain.leaf));
  const m: iso2.V2G_Message = {
    Header: { SessionID: SID, Signature: a.signature },
    Body: { CertificateUpdateRes: a.body },
  };
  const c = acceptCertRes(
    iso2.decode(iso2.encode(m)),
    f.contracts[0].privateKey,
    f.epochS + 60,
    x509ChainValidator(f.roots),
    SID,
  );
  assert.ok(eq(c.privateKey, f.contracts[1].privateKey));
  // the OEM key cannot open an update envelope ([V2G2-823] check catches it)
  assert.throws(
    () => acceptCertRes(m, f.oem.key, f.epochS + 60),
    (e: unknown) => e instanceof PncError && e.code === "ENVELOPE",
  );
  // no new contract for an unknown eMAID
  assert.throws(
    () => f.cps.update({ ...req.body, eMAID: "ZZZZZ000000000" }),
    (e: unknown) => e instanceof PncError && e.code === "NO_CONTRACT",
  );
});

test("CPS without a contract: install throws NO_CONTRACT (FAILED_NoCertificateAvailable)", async () => {
  const f = await pncFixture();
  const empty = createLocalCps({ chain: f.cpsChain, privateKey: f.cpsKey, contracts: [] });
  const req = buildInstallationReq(f.oem.cert, f.oem.key, f.roots);
  assert.throws(
    () => empty.install(req.body),
    (e: unknown) =>
      e instanceof PncError && e.code === "NO_CONTRACT" && e.responseCode === "FAILED_NoCertificateAvailable",
  );
});

test("ListOfRootCertificateIDs: RFC 4514 issuer name (most specific RDN first) and the BigInt serial", async () => {
  const f = await pncFixture();
  const ids = rootCertificateIds(f.roots);
  const root = f.pki["v2g-root"].cert;
  assert.equal(ids.RootCertificateID[0]!.X509SerialNumber, BigInt(`0x${root.serialNumber}`));
  // @peculiar/x509 prints the name in DER order: RFC 4514 is the reverse
  assert.equal(ids.RootCertificateID[0]!.X509IssuerName, root.issuer.split(", ").reverse().join(","));
  assert.match(ids.RootCertificateID[0]!.X509IssuerName, /^DC=V2G,CN=/);
  assert.equal(
    rfc4514([
      { type: "CN", value: "a,b" },
      { type: "DC", value: "V2G" },
    ]),
    "DC=V2G,CN=a\\,b",
  );
});

test("EVCC accept: the installation response gives the pool's contract; expired CPS leaf and non-CPS signer are refused", async () => {
  const { f, message } = await installRes();
  const c = acceptCertRes(message, f.oem.key, f.epochS + 60, x509ChainValidator(f.roots), SID);
  assert.ok(eq(c.privateKey, f.contracts[0].privateKey));
  assert.equal(c.emaid, f.contracts[0].emaid);
  const late = f.epochS + 91 * 86_400; // CPS leaf: 90 days
  assert.throws(
    () => acceptCertRes(message, f.oem.key, late),
    (e: unknown) => e instanceof PncError && e.code === "CERT_EXPIRED",
  );
  // signed by another key (the OEM provisioning key) and carrying that certificate as "CPS leaf": DC is not CPS
  const forged = {
    ...message.Body.CertificateInstallationRes!,
    SAProvisioningCertificateChain: { Certificate: f.oem.cert },
  };
  const sig = createLocalCps({
    chain: { leaf: f.oem.cert, subCas: [] },
    privateKey: f.oem.key,
    contracts: f.contracts,
  }).install(buildInstallationReq(f.oem.cert, f.oem.key, f.roots).body);
  const m2: iso2.V2G_Message = {
    Header: { SessionID: SID, Signature: sig.signature },
    Body: {
      CertificateInstallationRes: {
        ...sig.body,
        SAProvisioningCertificateChain: forged.SAProvisioningCertificateChain,
      },
    },
  };
  assert.throws(
    () => acceptCertRes(m2, f.oem.key, f.epochS + 60),
    (e: unknown) => e instanceof PncError && e.code === "CERT_ROLE",
  );
});

/** Flip bit `bit` of `bytes`; the result is rejected, or decodes to the very same message. */
function flipOutcome(
  bytes: Uint8Array,
  bit: number,
  original: iso2.V2G_Message,
  accept: (m: iso2.V2G_Message) => unknown,
): "decode" | "rejected" | "same" {
  const b = bytes.slice();
  b[bit >> 3]! ^= 0x80 >> (bit & 7);
  let m: iso2.V2G_Message;
  try {
    m = iso2.decode(b);
  } catch {
    return "decode";
  }
  try {
    assert.deepEqual(m, original);
    return "same";
  } catch {
    /* changed: must be rejected */
  }
  try {
    accept(m);
  } catch (e) {
    if (e instanceof PncError) return "rejected";
    throw e;
  }
  throw new Error(`bit ${bit}: a changed CertificateInstallationRes was accepted`);
}

test("a flipped bit anywhere in the encoded CertificateInstallationRes is rejected (stride sweep + random bits)", async (t) => {
  const { f, message } = await installRes();
  const bytes = iso2.encode(message);
  const original = iso2.decode(bytes);
  const validate = x509ChainValidator(f.roots);
  const accept = (m: iso2.V2G_Message) => acceptCertRes(m, f.oem.key, f.epochS + 60, validate, SID);
  accept(original);
  const count = { decode: 0, rejected: 0, same: 0 };
  const bits = bytes.length * 8;
  for (let bit = 0; bit < bits; bit += 23) count[flipOutcome(bytes, bit, original, accept)]++;
  fc.assert(
    fc.property(fc.integer({ min: 0, max: bits - 1 }), (bit) => {
      flipOutcome(bytes, bit, original, accept);
    }),
    // a fixed seed keeps CI reproducible; the unsigned ResponseCode is covered by the test below
    { numRuns: 150, seed: 20_261_205 },
  );
  t.diagnostic(`${bytes.length} B; sweep every 23rd bit: ${JSON.stringify(count)}`);
  assert.ok(count.rejected > 0);
});

test("the unsigned ResponseCode: only OK delivers a contract (a bit flip to OK_OldSessionJoined is rejected)", async () => {
  const { f, message } = await installRes();
  const validate = x509ChainValidator(f.roots);
  const res = message.Body.CertificateInstallationRes!;
  for (const code of [
    "OK_OldSessionJoined",
    "OK_NewSessionEstablished",
    "OK_CertificateExpiresSoon",
  ] as const) {
    const m = { ...message, Body: { CertificateInstallationRes: { ...res, ResponseCode: code } } };
    assert.throws(
      () => acceptCertRes(m, f.oem.key, f.epochS + 60, validate, SID),
      (e: unknown) => e instanceof PncError && e.code === "FIELD" && /ResponseCode/.test(e.message),
      code,
    );
  }
  assert.ok(acceptCertRes(message, f.oem.key, f.epochS + 60, validate, SID));
});
