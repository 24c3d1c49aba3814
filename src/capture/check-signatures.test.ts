/**
 * `nacs decode --check` on Plug & Charge signatures (ISO 15118-2), at the checker (the layer below the pcap
 * reader): every signed message of the shared captures verifies (counted); one flipped bit inside a signed
 * fragment of the decrypted payload is a failing finding naming the Reference; a session without its
 * PaymentDetailsReq is "not verifiable: no certificate" (informational) until the contract leaf is given;
 * every signed message type built with our PnC code (OEM, contract, CPS, MO Sub-CA 2 keys) verifies with
 * chain validation to the PKI's roots, and fails chain validation with another PKI's roots.
 */
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { sharedSkip } from "../../tools/codegen/vectors.js";
import * as iso2 from "../codecs/iso2/index.js";
import { issuePncPki } from "../link/pki/index.js";
import { buildInstallationReq, buildUpdateReq } from "../v2g/pnc/cert-evcc.js";
import { der, pncFixture, scalar } from "../v2g/pnc/testing/fixture.js";
import { findById, flipOneBit } from "../v2g/pnc/testing/flip.js";
import { fragmentBytes, signedInfoBytes, signFragments } from "../v2g/pnc/xmldsig.js";
import { buildCheckReport, type CheckReport } from "./check.js";
import type { CaptureEvent } from "./decoder.js";
import { bytesToHex as toHex } from "./keylog.js";
import { decodeCaptureFile } from "./node/file.js";
import { createTlsDecryptor } from "./node/tls-decrypt.js";

const dir = fileURLToPath(new URL("../../../shared/captures/dsV2Gshark/", import.meta.url));
const skip = sharedSkip("captures/dsV2Gshark");

async function pncCaptures(): Promise<{ file: string; events: CaptureEvent[]; startTime?: number }[]> {
  const out = [];
  for (const file of readdirSync(dir)
    .filter((f) => /^ISO-2_.*PnC/.test(f))
    .sort()) {
    const events: CaptureEvent[] = [];
    const r = await decodeCaptureFile(`${dir}${file}`, { tls: createTlsDecryptor }, (e) => events.push(e));
    out.push({ file, events, startTime: r.decoder.startTime });
  }
  return out;
}

const sigFindings = (r: CheckReport) => r.findings.filter((f) => f.code.startsWith("SIGNATURE_"));

test(
  "captures: every signed message verifies in --check (counted), no signature error",
  { skip },
  async (t) => {
    let verified = 0;
    const kinds = new Set<string>();
    for (const { file, events, startTime } of await pncCaptures()) {
      const r = buildCheckReport(events, { startTime });
      const errors = sigFindings(r).filter((f) => f.severity === "error");
      assert.deepEqual(errors, [], file);
      for (const s of r.signatures) {
        if (s.outcome === "stray") continue;
        assert.equal(s.outcome, "verified", `${file} #${s.frame} ${s.message}: ${s.detail}`);
        assert.ok(
          s.signer && s.references.every((x) => x.element),
          `${file} #${s.frame}: signer, references`,
        );
        verified++;
        kinds.add(s.message);
      }
      assert.equal(
        r.findings.filter((f) => f.code === "SIGNATURE_VERIFIED").length,
        r.signatures.filter((s) => s.outcome === "verified").length,
        `${file}: one SIGNATURE_VERIFIED note per verified message`,
      );
    }
    t.diagnostic(`${verified} signed messages verify in --check (${[...kinds].sort().join(", ")})`);
    assert.equal(verified, 10, "the 10 PnC signatures of the dsV2Gshark captures");
  },
);

test(
  "captures: one flipped bit inside a signed fragment of the decrypted payload is a failing finding naming the Reference",
  { skip },
  async (t) => {
    let cases = 0;
    for (const { file, events, startTime } of await pncCaptures()) {
      const signed = buildCheckReport(events, { startTime }).signatures.filter(
        (s) => s.outcome === "verified",
      );
      for (const s of signed) {
        const at = events.findIndex((e) => e.frame === s.frame && e.layer === "v2g");
        for (const ref of s.references) {
          const copy = structuredClone(events[at]!.message) as iso2.V2G_Message;
          assert.ok(
            flipOneBit(findById(copy.Body, ref.uri.slice(1))),
            `${file} ${ref.uri}: something to flip`,
          );
          // rewrite the decrypted payload: the flipped message is re-encoded and decoded as the decoder does
          const message = iso2.decode(iso2.encode(copy));
          const r = buildCheckReport(
            events.map((e, i) => (i === at ? { ...e, message } : e)),
            { startTime },
          );
          const bad = r.findings.filter((f) => f.severity === "error" && f.code.startsWith("SIGNATURE_"));
          assert.equal(bad.length, 1, `${file} ${s.message} ${ref.uri}: ${JSON.stringify(bad)}`);
          assert.equal(bad[0]!.code, "SIGNATURE_DIGEST");
          assert.equal(bad[0]!.frame, s.frame);
          assert.match(bad[0]!.message, new RegExp(`digest mismatch on Reference ${ref.uri}\\b`));
          assert.ok(r.counts.errors > 0, "a failing --check");
          const after = r.signatures.find((x) => x.frame === s.frame)!;
          assert.equal(after.outcome, "digest-mismatch");
          cases++;
        }
        // and a flipped bit in SignatureValue: signature invalid
        const copy = structuredClone(events[at]!.message) as iso2.V2G_Message;
        copy.Header.Signature!.SignatureValue.CONTENT[9]! ^= 0x04;
        const r = buildCheckReport(
          events.map((e, i) => (i === at ? { ...e, message: copy } : e)),
          { startTime },
        );
        const bad = r.findings.filter((f) => f.severity === "error" && f.code.startsWith("SIGNATURE_"));
        assert.deepEqual(
          bad.map((f) => f.code),
          ["SIGNATURE_INVALID"],
        );
        assert.match(bad[0]!.message, /SIG_VALUE/);
        cases++;
      }
    }
    t.diagnostic(`${cases} flipped-bit cases give a failing finding`);
    assert.equal(cases, 16 + 10, "16 References of the 10 signatures, and each SignatureValue");
  },
);

test(
  "captures: without the PaymentDetailsReq the AuthorizationReq is 'not verifiable: no certificate' (a note); the contract leaf given verifies it",
  { skip },
  async () => {
    const all = await pncCaptures();
    const { events, startTime } = all.find((c) => /PnC_TLS_Contract_DS5366/.test(c.file))!;
    const pdr = events.find((e) => e.type === "PaymentDetailsReq")!;
    const leaf = (pdr.message as iso2.V2G_Message).Body.PaymentDetailsReq!.ContractSignatureCertChain
      .Certificate;
    // the contract chain no longer in the session (a capture that begins after PaymentDetails)
    const without = events.map((e) =>
      e === pdr ? { ...e, message: { Header: (e.message as iso2.V2G_Message).Header, Body: {} } } : e,
    );
    const r = buildCheckReport(without, { startTime });
    const a = r.signatures.find((s) => s.message === "AuthorizationReq")!;
    assert.equal(a.outcome, "no-certificate");
    const f = r.findings.find((x) => x.code === "SIGNATURE_NO_CERTIFICATE")!;
    assert.equal(f.severity, "info");
    assert.match(f.message, /AuthorizationReq .*not verifiable: no certificate/);
    assert.equal(sigFindings(r).filter((x) => x.severity === "error").length, 0);
    const given = buildCheckReport(without, { startTime, signatures: { certificates: [leaf] } });
    const b = given.signatures.find((s) => s.message === "AuthorizationReq")!;
    assert.equal(b.outcome, "verified", b.detail);
    assert.equal(b.signer, "--certs");
    // another certificate given: still no certificate that verifies it
    const other = (events.find((e) => e.type === "PaymentDetailsReq")!.message as iso2.V2G_Message).Body
      .PaymentDetailsReq!.ContractSignatureCertChain.SubCertificates!.Certificate[0]!;
    const wrong = buildCheckReport(without, { startTime, signatures: { certificates: [other] } });
    const c = wrong.signatures.find((s) => s.message === "AuthorizationReq")!;
    assert.equal(c.outcome, "no-certificate");
    assert.match(c.detail ?? "", /none of the 1 certificates given/);
  },
);

/** Events of one synthetic session on connection 1, one message per 0.1 s, EV requests and EVSE responses. */
function eventsOf(messages: iso2.V2G_Message[]): CaptureEvent[] {
  return messages.map((m, i) => {
    const type = Object.keys(m.Body)[0]!;
    return {
      t: 1 + i / 10,
      frame: 10 + i,
      layer: "v2g",
      from: type.endsWith("Req") ? "ev" : "evse",
      schema: "iso2",
      type,
      conn: 1,
      message: m,
    };
  });
}

/** Every signed ISO-2 message type, signed with the fixture's keys; the response bodies round-trip through EXI. */
async function pncSession() {
  const fx = await pncFixture();
  const sid = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8);
  const msg = (Body: object, Signature?: iso2.SignatureType) =>
    ({ Header: { SessionID: sid, ...(Signature ? { Signature } : {}) }, Body }) as iso2.V2G_Message;
  const rt = (m: iso2.V2G_Message) => iso2.decode(iso2.encode(m));
  const install = buildInstallationReq(fx.oem.cert, fx.oem.key, fx.roots);
  const res = fx.cps.install(install.body);
  const [contract, second] = fx.contracts;
  const update = buildUpdateReq({ ...contract, notAfterMs: Number.MAX_SAFE_INTEGER } as never, fx.roots);
  const upd = fx.cps.update(update.body);
  const chain = {
    Certificate: contract.chain.leaf,
    SubCertificates: { Certificate: [...contract.chain.subCas] },
  };
  const auth = { Id: "ID1", GenChallenge: new Uint8Array(16).fill(7) };
  const st = iso2.decodeFragment(Uint8Array.of(0x80, 0xae, 0x40, 0x08, 0x00, 0x0c, 0xfa, 0x00))
    .SalesTariff as iso2.SalesTariffType;
  const tariff = { ...st, Id: "st1" };
  const moSub2Key = await scalar(fx.pki["mo-sub-ca-2"]);
  const receipt = { Id: "id1", SessionID: sid, SAScheduleTupleID: 1, MeterInfo: { MeterID: "M1" } };
  void second;
  return {
    fx,
    messages: [
      rt(msg({ CertificateInstallationReq: install.body }, install.signature)),
      rt(msg({ CertificateInstallationRes: res.body }, res.signature)),
      rt(msg({ CertificateUpdateReq: update.body }, update.signature)),
      rt(msg({ CertificateUpdateRes: upd.body }, upd.signature)),
      rt(msg({ PaymentDetailsReq: { eMAID: contract.emaid, ContractSignatureCertChain: chain } })),
      rt(msg({ AuthorizationReq: auth }, signFragments([{ AuthorizationReq: auth }], contract.privateKey))),
      msg(
        {
          ChargeParameterDiscoveryRes: {
            ResponseCode: "OK",
            EVSEProcessing: "Finished",
            SAScheduleList: { SAScheduleTuple: [{ SAScheduleTupleID: 1, SalesTariff: tariff }] },
          },
        },
        signFragments([{ SalesTariff: tariff }], moSub2Key),
      ),
      rt(
        msg(
          { MeteringReceiptReq: receipt },
          signFragments([{ MeteringReceiptReq: receipt }], contract.privateKey),
        ),
      ),
    ],
  };
}

const ALL = [
  "CertificateInstallationReq",
  "CertificateInstallationRes",
  "CertificateUpdateReq",
  "CertificateUpdateRes",
  "AuthorizationReq",
  "ChargeParameterDiscoveryRes",
  "MeteringReceiptReq",
];

test("our PnC messages: all seven signed types verify, with chain validation to the PKI's roots", async () => {
  const { fx, messages } = await pncSession();
  const pkiCerts = Object.values(fx.pki).map((c) => der(c));
  const startTime = fx.epochS + 60;
  const r = buildCheckReport(eventsOf(messages), { startTime, signatures: { certificates: pkiCerts } });
  assert.deepEqual(
    r.signatures.map((s) => s.message),
    ALL,
  );
  for (const s of r.signatures) {
    assert.equal(s.outcome, "verified", `${s.message}: ${s.detail} ${JSON.stringify(s.chain)}`);
    assert.equal(s.chain?.code, "OK", `${s.message}: ${JSON.stringify(s.chain)}`);
  }
  assert.deepEqual(
    r.signatures.map((s) => s.signer),
    [
      "OEMProvisioningCert",
      "SAProvisioningCertificateChain leaf",
      "ContractSignatureCertChain leaf",
      "SAProvisioningCertificateChain leaf",
      "PaymentDetailsReq contract leaf",
      "PaymentDetailsReq MO Sub-CA 2",
      "PaymentDetailsReq contract leaf",
    ],
  );
  // the OEM provisioning certificate's Sub-CAs are not in the session: completed from the given certificates
  assert.match(r.signatures[0]!.chain!.anchor ?? "", /OEM/i);
  assert.equal(sigFindings(r).filter((f) => f.severity !== "info").length, 0);
  // without certificates: verified, no chain validated
  const bare = buildCheckReport(eventsOf(messages), { startTime });
  assert.ok(bare.signatures.every((s) => s.outcome === "verified" && s.chain === undefined));
  // the SalesTariff without the contract chain in the session: no certificate, then the MO Sub-CA 2 given
  const noPdr = messages.filter((m) => !m.Body.PaymentDetailsReq);
  const cpd = (x: CheckReport) => x.signatures.find((s) => s.message === "ChargeParameterDiscoveryRes")!;
  assert.equal(cpd(buildCheckReport(eventsOf(noPdr), { startTime })).outcome, "no-certificate");
  const given = cpd(
    buildCheckReport(eventsOf(noPdr), {
      startTime,
      signatures: { certificates: [der(fx.pki["mo-sub-ca-2"])] },
    }),
  );
  assert.equal(given.outcome, "verified");
  assert.equal(given.signer, "--certs");
});

test("our PnC messages with another PKI's roots: every signer's chain fails (a failing finding per message)", async () => {
  const { fx, messages } = await pncSession();
  const other = await issuePncPki({ now: new Date(fx.epochS * 1000) });
  const roots = [der(other["v2g-root"]), der(other["mo-root"]), der(other["oem-root"])];
  const r = buildCheckReport(eventsOf(messages), {
    startTime: fx.epochS + 60,
    signatures: { certificates: roots },
  });
  for (const s of r.signatures) {
    assert.equal(s.outcome, "chain-error", s.message);
    assert.match(s.chain?.code ?? "", /NO_ANCHOR|BAD_SIGNATURE/, `${s.message}: ${JSON.stringify(s.chain)}`);
  }
  const chainErrors = r.findings.filter((f) => f.code === "SIGNATURE_CHAIN");
  assert.equal(chainErrors.length, ALL.length);
  assert.ok(chainErrors.every((f) => f.severity === "error" && /chain error/.test(f.message)));
  assert.match(chainErrors[0]!.message, /CertificateInstallationReq \(message #1\).*\[V2G2-885\]/);
  assert.match(chainErrors[1]!.message, /CertificateInstallationRes .*\[V2G2-891\]/);
  // expired at the capture's time: the chain error names the expiry
  const late = buildCheckReport(eventsOf(messages), {
    startTime: fx.epochS + 50 * 365 * 86_400,
    signatures: { certificates: Object.values(fx.pki).map((c) => der(c)) },
  });
  assert.ok(late.signatures.every((s) => s.chain?.code === "EXPIRED"));
});

test("our PnC messages without their Signature: SIGNATURE_MISSING errors where the standard requires one", async () => {
  const { fx, messages } = await pncSession();
  const unsigned = messages.map((m) => {
    const c = structuredClone(m);
    delete c.Header.Signature;
    return c;
  });
  const r = buildCheckReport(eventsOf(unsigned), { startTime: fx.epochS + 60 });
  const missing = r.signatures.filter((s) => s.outcome === "missing").map((s) => s.message);
  // the SalesTariff may come unsigned (the EVCC then ignores it); every other signed type must be signed
  assert.deepEqual(
    missing,
    ALL.filter((x) => x !== "ChargeParameterDiscoveryRes"),
  );
  const f = r.findings.filter((x) => x.code === "SIGNATURE_MISSING");
  assert.ok(f.every((x) => x.severity === "error"));
  assert.match(f.find((x) => /AuthorizationReq/.test(x.message))!.message, /GenChallenge.*\[V2G2-684\]/);
  // an Ongoing repeat (no GenChallenge) and a FAILED certificate response need none ([V2G2-684], [V2G2-736])
  const repeat = structuredClone(unsigned);
  repeat[5] = { Header: repeat[5]!.Header, Body: { AuthorizationReq: {} } } as iso2.V2G_Message;
  repeat[1]!.Body.CertificateInstallationRes!.ResponseCode = "FAILED";
  const r2 = buildCheckReport(eventsOf(repeat), { startTime: fx.epochS + 60 });
  assert.ok(
    !r2.signatures.some(
      (s) => s.message === "AuthorizationReq" || s.message === "CertificateInstallationRes",
    ),
  );
});

/** What a message's signature covers, as bytes: the SignedInfo fragment and each referenced element's fragment. */
function signedParts(m: iso2.V2G_Message): string[] {
  const sig = m.Header.Signature!;
  const named = (v: unknown, id: string, name = ""): Record<string, unknown> | undefined => {
    if (typeof v !== "object" || v === null || v instanceof Uint8Array) return undefined;
    if ((v as { Id?: unknown }).Id === id) return { [name]: v };
    for (const [k, x] of Object.entries(v))
      for (const y of Array.isArray(x) ? x : [x]) {
        const f = named(y, id, k);
        if (f) return f;
      }
    return undefined;
  };
  return [
    toHex(signedInfoBytes(sig.SignedInfo)),
    ...sig.SignedInfo.Reference.map((r) => {
      const el = named(m.Body, (r.URI ?? "").slice(1));
      return el ? toHex(fragmentBytes(el)) : "(none)";
    }),
  ];
}

test("property: one bit flipped anywhere in the EXI of a signed message never crashes the check, and verifies only when what is signed is unchanged", async (t) => {
  const { fx, messages } = await pncSession();
  const signed = messages
    .map((m, i) => ({ m, i }))
    .filter(({ m }) => m.Header.Signature && !m.Body.ChargeParameterDiscoveryRes);
  const bytes = signed.map(({ m }) => iso2.encode(m));
  let decodable = 0;
  let verified = 0;
  fc.assert(
    fc.property(fc.nat(signed.length - 1), fc.nat(), (k, bit) => {
      const b = bytes[k]!.slice();
      const at = bit % (b.length * 8);
      b[at >> 3]! ^= 0x80 >> (at & 7);
      let m: iso2.V2G_Message;
      try {
        m = iso2.decode(b);
      } catch {
        return; // not decodable: the decoder's UNDECODABLE finding, not the signature check's
      }
      decodable++;
      const events = eventsOf(messages.map((x, j) => (j === signed[k]!.i ? m : x)));
      const r = buildCheckReport(events, { startTime: fx.epochS + 60 });
      const s = r.signatures.find((x) => x.frame === 10 + signed[k]!.i);
      if (s?.outcome === "verified") {
        verified++;
        assert.deepEqual(signedParts(m), signedParts(signed[k]!.m), `bit ${at} of ${s.message}`);
      }
    }),
    { numRuns: 300, seed: 15118 },
  );
  assert.ok(decodable > 50, `${decodable} decodable`);
  t.diagnostic(
    `300 flips: ${decodable} decodable, ${verified} still verified (each with its signed bytes unchanged)`,
  );
});
