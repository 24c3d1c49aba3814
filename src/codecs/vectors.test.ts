/**
 * Test vectors of the EXI codecs: every vector of apphand/din/iso2/fragments decodes, re-encodes to the
 * identical bytes (trailing zero padding included) and its XML form equals the vector's `xml`
 * (as infosets).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { fromHex, loadVectors, sharedSkip, toHex, type Vector } from "../../tools/codegen/vectors.js";
import { paddingOf, warningsOf } from "../exi/decoded.js";
import { ExiDecodeError, ExiEncodeError } from "../exi/errors.js";
import { CODECS, xmlDiff } from "./testing.js";

/** Vectors whose strings exceed a maxLength facet: they re-encode only with `lenientLengths`. */
const OVER_FACET = new Set(["CertificateInstallationRes"]);

const skip = sharedSkip("vectors");

/**
 * Where cbv2g's XML (the vectors' `xml`) is known to be wrong, by message → reason. Bytes must still match.
 */
const XML_EXCEPTIONS: Record<string, string> = {
  WPT_ChargeParameterDiscoveryRes: "cbv2g prints the enumeration value MF-WPT1 as MF_WPT1 (a C identifier)",
  CertificateInstallationReq:
    "cbv2g's XML for the -20 Josev CertificateInstallationReq is not well-formed (X509IssuerName)",
};

function runFile(
  file: string,
  pick: (v: Vector) => string,
  xmlExceptions: Record<string, string> = {},
): void {
  test(`${file}.jsonl: decode, byte-exact re-encode, XML equal`, { skip }, (t) => {
    const vectors = loadVectors(file);
    assert.ok(vectors.length > 0, `${file}.jsonl is empty`);
    const perMessage = new Map<string, number>();
    const failures: string[] = [];
    let warnings = 0;
    for (const v of vectors) {
      const codec = CODECS[pick(v)];
      assert.ok(codec, `no codec for ${pick(v)}`);
      const bytes = fromHex(v.hex);
      let doc: Record<string, unknown>;
      try {
        doc = codec.decodeDocument(bytes, { onWarning: () => warnings++ });
      } catch (e) {
        failures.push(`${v.message} ${v.hex.slice(0, 40)}…: decode: ${(e as Error).message}`);
        continue;
      }
      let out: Uint8Array;
      try {
        out = codec.encodeDocument(doc as never);
      } catch (e) {
        if (e instanceof ExiEncodeError && OVER_FACET.has(v.message) && /exceeds maxLength/.test(e.message)) {
          out = codec.encodeDocument(doc as never, { lenientLengths: true });
        } else {
          failures.push(`${v.message}: encode: ${(e as Error).message}`);
          continue;
        }
      }
      const expect = v.hex.toLowerCase();
      const got = toHex(out);
      if (got !== expect) {
        failures.push(`${v.message}: re-encoded ${got} != ${expect}`);
        continue;
      }
      if (v.xml) {
        let d: string | null;
        try {
          d = xmlDiff(codec.toXml(doc), v.xml);
        } catch (e) {
          d = `reference XML unreadable: ${(e as Error).message}`;
        }
        if (d && xmlExceptions[v.message]) {
          t.diagnostic(`${file} ${v.message}: XML not compared: ${xmlExceptions[v.message]}`);
          d = null;
        }
        if (d) {
          failures.push(`${v.message}: XML differs\n${d}`);
          continue;
        }
      }
      perMessage.set(v.message, (perMessage.get(v.message) ?? 0) + 1);
    }
    const passed = [...perMessage.values()].reduce((a, b) => a + b, 0);
    t.diagnostic(
      `${file}: ${passed}/${vectors.length} pass; ${[...perMessage].map(([m, n]) => `${m} ${n}`).join(", ")}`,
    );
    assert.deepEqual(
      failures,
      [],
      `${failures.length} failing vectors:\n${failures.slice(0, 10).join("\n")}`,
    );
    if (vectors.some((v) => v.trailingZeroBytes))
      assert.ok(warnings > 0, "trailing zero bytes must be reported");
  });
}

runFile("apphand", (v) => v.standard);
runFile("din", (v) => v.standard);
runFile("iso2", (v) => v.standard);
runFile("iso20", (v) => v.schemaSet ?? "", XML_EXCEPTIONS);

test(
  "undecoded.jsonl: each stream decodes with some grammar or is rejected with ExiDecodeError",
  { skip },
  (t) => {
    const vectors = loadVectors("undecoded");
    const lines: string[] = [];
    for (const v of vectors) {
      const bytes = fromHex(v.hex);
      const decodedBy: string[] = [];
      const tries: [
        string,
        (b: Uint8Array) => Record<string, unknown>,
        (d: Record<string, unknown>) => Uint8Array,
      ][] = [];
      for (const [name, c] of Object.entries(CODECS)) {
        if (v.kind === "fragment") {
          if (c.decodeFragment) tries.push([`${name}:exiFragment`, c.decodeFragment, c.encodeFragment!]);
          if (c.decodeXmldsigFragment)
            tries.push([`${name}:xmldsigFragment`, c.decodeXmldsigFragment, c.encodeXmldsigFragment!]);
        } else tries.push([name, (b) => c.decodeDocument(b), (d) => c.encodeDocument(d as never)]);
      }
      for (const [name, dec, enc] of tries) {
        const t0 = performance.now();
        try {
          const d = dec(bytes);
          const same = toHex(enc(d)) === v.hex.toLowerCase();
          decodedBy.push(
            `${name}(${Object.keys(d)[0]}${same ? ", re-encodes identically" : ", re-encodes differently"})`,
          );
        } catch (e) {
          assert.ok(
            e instanceof ExiDecodeError || e instanceof ExiEncodeError,
            `${v.message ?? v.hex.slice(0, 20)} with ${name}: untyped ${(e as Error).message}`,
          );
        }
        assert.ok(performance.now() - t0 < 1000, "decode must finish in bounded time");
      }
      lines.push(
        `${v.message ?? "(unnamed)"} ${bytes.length} B: ${decodedBy.length ? `decoded by ${decodedBy.join(", ")}` : "rejected by every grammar (ExiDecodeError)"}`,
      );
    }
    for (const l of lines) t.diagnostic(l);
  },
);

test(
  "trailing zero bytes: accepted with a warning; non-zero trailing data is an ExiDecodeError",
  { skip },
  () => {
    const v = loadVectors("din").find((x) => x.trailingZeroBytes)!;
    const seen: string[] = [];
    CODECS.din!.decodeDocument(fromHex(v.hex), { onWarning: (w: { code: string }) => seen.push(w.code) });
    assert.deepEqual(seen, ["EXI_TRAILING_ZERO_BYTES"]);
    // the padding is recorded (not as a message field) and restored by the encoder
    const doc = CODECS.din!.decodeDocument(fromHex(v.hex));
    assert.ok(paddingOf(doc) > 0);
    assert.equal(JSON.stringify(doc).includes("paddingBytes"), false);
    assert.equal(toHex(CODECS.din!.encodeDocument(doc as never)), v.hex.toLowerCase());
    assert.equal(
      toHex(CODECS.din!.encodeDocument(doc as never, { paddingBytes: 0 })),
      v.hex.toLowerCase().replace(/(00)+$/, ""),
    );
    const bad = fromHex(`${v.hex.replace(/0+$/, "")}0001`);
    assert.throws(
      () => CODECS.din!.decodeDocument(bad),
      (e) => e instanceof ExiDecodeError && e.code === "EXI_TRAILING",
    );
  },
);

test(
  "an 18-character eMAID (maxLength 15): a warning naming the field path, re-encoded as decoded, refused when built",
  { skip },
  () => {
    const v = loadVectors("iso2").find(
      (x) => x.message === "CertificateInstallationRes" && x.xml?.includes("DE-VAN-C00000001-6"),
    )!;
    const doc = CODECS.iso2!.decodeDocument(fromHex(v.hex));
    const ws = warningsOf(doc);
    assert.deepEqual(
      ws.map((w) => [w.path, w.rule, w.value]),
      [["V2G_Message.Body.CertificateInstallationRes.eMAID.CONTENT", "maxLength 15", "DE-VAN-C00000001-6"]],
    );
    assert.equal(toHex(CODECS.iso2!.encodeDocument(doc as never)), v.hex.toLowerCase());
    assert.throws(
      () => CODECS.iso2!.decodeDocument(fromHex(v.hex), { strict: true }),
      (e) => e instanceof ExiDecodeError && e.code === "EXI_LIMIT" && /exceeds maxLength 15/.test(e.message),
    );
    // the same value in a message built in code (no decode warnings) is refused
    const built = structuredClone(doc);
    assert.throws(
      () => CODECS.iso2!.encodeDocument(built as never),
      (e) =>
        e instanceof ExiEncodeError &&
        e.path.join(".") === "V2G_Message.Body.CertificateInstallationRes.eMAID.CONTENT",
    );
  },
);
