import assert from "node:assert/strict";
import { test } from "node:test";
import { loadVectors } from "../../../tools/codegen/vectors.js";
import { decodeLine, decodeOptionsSchema } from "./decode.js";
import { encodeLine } from "./encode.js";

const opts = (schema: string, extra: Record<string, unknown> = {}) =>
  decodeOptionsSchema.parse({ schema, ...extra });

test("decode | encode round-trips DIN and ISO-2 vectors through the JSON line form", () => {
  for (const [schema, file] of [
    ["din", "din"],
    ["iso2", "iso2"],
    ["apphand", "apphand"],
  ] as const) {
    for (const v of loadVectors(file)
      .filter((x) => !x.trailingZeroBytes)
      .slice(0, 60)) {
      const line = decodeLine(opts(schema), v.hex);
      const obj = JSON.parse(line) as { type: string };
      assert.equal(obj.type, v.message, line);
      assert.equal(encodeLine({ schema }, line), v.hex.toLowerCase());
    }
  }
});

test("a bad line prints an error object with the bit offset", () => {
  const e = JSON.parse(decodeLine(opts("din"), "809a")) as { error: { bitOffset: number; message: string } };
  assert.equal(e.error.bitOffset, 16);
  assert.match(decodeLine(opts("din"), "xyz"), /"error"/);
  assert.match(encodeLine({ schema: "din" }, "{}"), /"error"/);
  assert.match(encodeLine({ schema: "din" }, '{"type":"X","message":{"Header":{}}}'), /SessionID/);
});

test("--format xml and --fragment", () => {
  assert.match(
    decodeLine(opts("apphand", { format: "xml" }), "80400040"),
    /<ResponseCode>OK_SuccessfulNegotiation</,
  );
  const frag = loadVectors("fragments").find((v) => v.message === "SignedInfo")!;
  const line = decodeLine(opts("iso2", { fragment: "exi" }), frag.hex);
  assert.equal((JSON.parse(line) as { type: string }).type, "SignedInfo");
  assert.equal(encodeLine({ schema: "iso2", fragment: "exi" }, line), frag.hex.toLowerCase());
});

test("bad --schema is a usage error", () => {
  assert.throws(() => decodeOptionsSchema.parse({ schema: "iso3" }));
});

test("a multi-megabyte hex line gives the size-limit error (EXI_LIMIT), not a stack overflow", () => {
  const opts = decodeOptionsSchema.parse({ schema: "din" });
  const big = JSON.parse(decodeLine(opts, "80".repeat(5_000_000))) as {
    error: { code: string; message: string };
  };
  assert.equal(big.error.code, "EXI_LIMIT", big.error.message);
  assert.match(big.error.message, /65536 bytes/);
  const odd = JSON.parse(decodeLine(opts, "8".repeat(5_000_001))) as { error: { code: string } };
  assert.equal(odd.error.code, "EXI_HEADER");
});
