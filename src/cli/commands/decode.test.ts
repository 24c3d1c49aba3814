import assert from "node:assert/strict";
import { test } from "node:test";
import { loadVectors, sharedSkip } from "../../../tools/codegen/vectors.js";
import { din } from "../../codecs/index.js";
import { decodeLine, decodeOptionsSchema } from "./decode.js";
import { encodeLine } from "./encode.js";

const skip = sharedSkip("vectors");

const opts = (schema: string, extra: Record<string, unknown> = {}) =>
  decodeOptionsSchema.parse({ schema, ...extra });

test("decode | encode round-trips DIN and ISO-2 vectors through the JSON line form", { skip }, () => {
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

test("--format xml and --fragment", { skip }, () => {
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

/** A DIN CurrentDemandReq with EVRESSSOC 101 (percentValueType maxInclusive 100), encoded tolerantly. */
function socOver(): string {
  const pv = (Value: number, Unit: "A" | "V") => ({ Multiplier: 0, Unit, Value });
  const bytes = din.encode(
    {
      Header: { SessionID: Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]) },
      Body: {
        CurrentDemandReq: {
          DC_EVStatus: { EVReady: true, EVErrorCode: "NO_ERROR", EVRESSSOC: 101 },
          EVTargetCurrent: pv(100, "A"),
          ChargingComplete: false,
          EVTargetVoltage: pv(400, "V"),
        },
      },
    },
    { tolerant: true },
  );
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

test("a value outside its facet: decoded with warnings (JSON and XML), --strict refuses it, encode gives the bytes back", () => {
  const hex = socOver();
  const line = decodeLine(opts("din"), hex);
  const obj = JSON.parse(line) as {
    message: { Body: { CurrentDemandReq: { DC_EVStatus: { EVRESSSOC: number } } } };
    warnings: string[];
    facetWarnings: { path: string; value: unknown; rule: string; bitOffset: number }[];
  };
  assert.equal(obj.message.Body.CurrentDemandReq.DC_EVStatus.EVRESSSOC, 101);
  assert.deepEqual(
    obj.facetWarnings.map(({ path, value, rule }) => ({ path, value, rule })),
    [
      {
        path: "V2G_Message.Body.CurrentDemandReq.DC_EVStatus.EVRESSSOC",
        value: 101,
        rule: "maxInclusive 100",
      },
    ],
  );
  assert.equal(typeof obj.facetWarnings[0]!.bitOffset, "number");
  assert.match(obj.warnings[0]!, /EVRESSSOC: 101 breaks maxInclusive 100/);
  assert.equal(encodeLine({ schema: "din" }, line), hex);
  assert.match(
    decodeLine(opts("din", { format: "xml" }), hex),
    /<!-- warning: .*EVRESSSOC: 101 breaks maxInclusive 100 -->$/,
  );
  const err = JSON.parse(decodeLine(opts("din", { strict: true }), hex)) as { error: { code: string } };
  assert.equal(err.error.code, "EXI_VALUE");
  // the same message typed in, without the warnings, is refused unless --tolerant
  const typed = JSON.stringify({ type: "CurrentDemandReq", message: obj.message });
  assert.match(encodeLine({ schema: "din" }, typed), /"code":"EXI_RANGE"/);
  assert.equal(encodeLine({ schema: "din", tolerant: true }, typed), hex);
});

test("trailing zero padding: paddingBytes in the JSON line, restored by encode", () => {
  const hex = `${socOver()}00`;
  const line = decodeLine(opts("din"), hex);
  assert.equal((JSON.parse(line) as { paddingBytes: number }).paddingBytes, 1);
  assert.equal(encodeLine({ schema: "din" }, line), hex);
});
