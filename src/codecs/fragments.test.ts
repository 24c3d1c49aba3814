/**
 * XMLDSig fragments (ISO 15118-2 signatures over EXI fragments, W3C Canonical EXI): `fragments.jsonl`
 * (RISE-V2G, exiFragment kind) decode with the ISO-2 fragment grammar, re-encode identically, hash to the
 * stated SHA-256, and carry the vector's values.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { test } from "node:test";
import { fromHex, loadVectors, sharedSkip, toHex } from "../../tools/codegen/vectors.js";
import { ExiDecodeError, ExiEncodeError } from "../exi/errors.js";
import * as iso2 from "./iso2/index.js";

const skip = sharedSkip("vectors");

test("fragments.jsonl: decode, byte-exact re-encode, SHA-256, values", { skip }, (t) => {
  const vectors = loadVectors("fragments");
  assert.ok(vectors.length >= 7);
  const passed: string[] = [];
  for (const v of vectors) {
    assert.equal(v.kind, "exiFragment", `${v.message}: only exiFragment vectors are expected`);
    const bytes = fromHex(v.hex);
    const doc = iso2.decodeFragment(bytes);
    assert.equal(toHex(iso2.encodeFragment(doc)), v.hex.toLowerCase(), `${v.message} re-encodes`);
    if (v.sha256)
      assert.equal(
        createHash("sha256").update(bytes).digest("hex"),
        v.sha256.toLowerCase(),
        `${v.message} digest`,
      );
    // the vector's xml is a clipped EXIficient dump; every text value in it must appear in our XML form
    const ours = iso2.toXml(doc);
    for (const m of (v.xml ?? "").matchAll(/>([^<>]+)</g))
      assert.ok(ours.includes(m[1]!.trim()), `${v.message}: value ${m[1]} missing`);
    passed.push(`${Object.keys(doc)[0]}`);
  }
  t.diagnostic(`fragments: ${passed.length}/${vectors.length} pass (${passed.join(", ")})`);
});

test(
  "SignedInfo: xmldsig-alone fragment grammar uses 6-bit codes and differs from the exiFragment",
  { skip },
  () => {
    const v = loadVectors("fragments").find((x) => x.message === "SignedInfo")!;
    const doc = iso2.decodeFragment(fromHex(v.hex));
    const ds = iso2.encodeXmldsigFragment(doc);
    assert.equal(ds[0], 0x80);
    // decode back with the xmldsig grammar and compare
    assert.deepEqual(iso2.decodeXmldsigFragment(ds), doc);
    assert.notEqual(toHex(ds), v.hex.toLowerCase());
    // exiFragment of ISO-2 has 8-bit element codes (EXI 1.0 §8.5.2 fragment grammar, as cbv2g has it)
    assert.throws(() => iso2.decodeXmldsigFragment(fromHex(v.hex)), ExiDecodeError);
  },
);

test(
  "eMAID: relaxed element-fragment grammar (EXI §8.5.3) reproduces RISE-V2G's fragment and digest",
  { skip },
  () => {
    // eMAID is declared twice in ISO-2 (a string and EMAIDType = string + Id), so its fragment uses the relaxed
    // grammar: 8-bit SE(eMAID) = 236, then 9-bit AT({MsgDataTypes}Id) = 4, 9-bit CH = 256, 8-bit EE = 244
    const v = loadVectors("undecoded").find((x) => x.message === "eMAID" && x.kind === "fragment");
    assert.ok(v, "undecoded.jsonl has RISE-V2G's eMAID fragment");
    const bytes = fromHex(v.hex);
    const doc = iso2.decodeFragment(bytes);
    assert.deepEqual(doc, { eMAID: { Id: "id4", CONTENT: "DEABCC123ABC56" } });
    assert.equal(toHex(iso2.encodeFragment(doc)), v.hex.toLowerCase());
    assert.equal(createHash("sha256").update(bytes).digest("hex"), v.sha256!.toLowerCase());
    // the eMAID fragment of the dsV2Gshark PnC capture, built by hand (Id ID4, eMAID DEABC123456789Y)
    assert.equal(
      toHex(iso2.encodeFragment({ eMAID: { Id: "ID4", CONTENT: "DEABC123456789Y" } })),
      "80ec0202a4a21a40045111505090cc4c8ccd0d4d8dce0e567d3d00",
    );
    // the string declaration: character content only, decodes back to a string
    const plain = iso2.encodeFragment({ eMAID: "DEABC123456789Y" });
    assert.deepEqual(iso2.decodeFragment(plain), { eMAID: "DEABC123456789Y" });
    // a field of no declaration is named
    assert.throws(
      () => iso2.encodeFragment({ eMAID: { Id: "x", Foo: 1 } }),
      (e: Error) => e instanceof ExiEncodeError && /eMAID\.Foo/.test(e.message),
    );
    // truncated input is an ExiDecodeError, not a crash
    for (let n = 2; n < bytes.length - 1; n++)
      assert.throws(() => iso2.decodeFragment(bytes.subarray(0, n)), ExiDecodeError);
  },
);
