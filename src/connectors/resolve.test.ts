import assert from "node:assert/strict";
import { test } from "node:test";
import { ADAPTER_IDS, ADAPTERS } from "./adapters.js";
import { CONNECTOR_IDS, CONNECTORS } from "./catalogue.js";
import { UnknownIdError } from "./errors.js";
import * as R from "./ratings.js";
import { getDcVariant, mates, resolve } from "./resolve.js";
import type { ModeResult, Resolution } from "./types.js";

function ok(r: Resolution): { modes: readonly ModeResult[]; notes: readonly string[] } {
  if (!r.ok) assert.fail(`expected ok, got: ${r.reason}`);
  return r;
}
function notOk(r: Resolution): { reason: string; suggestion?: string } {
  if (r.ok) assert.fail(`expected not possible, got modes ${r.modes.map((m) => m.mode).join(",")}`);
  return r;
}
const mode = (r: { modes: readonly ModeResult[] }, m: string) => r.modes.find((x) => x.mode === m);
const minDefined = (...xs: (number | null | undefined)[]) =>
  Math.min(...xs.filter((x): x is number => typeof x === "number"));

test("J3400 inlet + CCS1 connector without adapter: impossible, names the adapter that fixes it", () => {
  const r = notOk(resolve("j3400", "ccs1"));
  assert.equal(
    r.reason,
    "connector ccs1 does not mate with inlet j3400; adapter ccs1-to-j3400 would make it possible",
  );
  assert.equal(r.suggestion, "ccs1-to-j3400");
});

test("ccs1-to-j3400: DC only, limits = min(CCS1, J3400), adapter unrated (U) is not a limit", () => {
  const r = ok(resolve("j3400", "ccs1", "ccs1-to-j3400"));
  assert.deepEqual(
    r.modes.map((m) => m.mode),
    ["dc"],
  );
  const dc = mode(r, "dc")!;
  assert.equal(dc.maxVoltageV, Math.min(R.CCS_DC_MAX_VOLTAGE_V, R.J3400_DC_MAX_VOLTAGE_V));
  assert.equal(dc.maxCurrentA, Math.min(R.CCS_DC_MAX_CURRENT_A, R.J3400_DC_RATED_CURRENT_A));
  assert.equal(
    dc.maxPowerKw,
    Math.min(R.CCS_DC_MAX_POWER_KW, (R.J3400_DC_MAX_VOLTAGE_V * R.J3400_DC_RATED_CURRENT_A) / 1000),
  );
  assert.ok(dc.limitedBy.some((l) => l.startsWith("current: inlet j3400")));
  assert.ok(r.notes.some((n) => /ccs1-to-j3400: no DC rating published \(U\)/.test(n)));
  assert.ok(r.notes.some((n) => /conflict j3400 dc\.maxCurrentA/.test(n)));
});

test("ccs1-to-j3400 with a confirmed adapter rating: the adapter becomes the limit", () => {
  const cap = R.J3400_DC_RATED_CURRENT_A - 150;
  const r = ok(resolve("j3400", "ccs1", "ccs1-to-j3400", { adapterRating: { dc: { maxCurrentA: cap } } }));
  const dc = mode(r, "dc")!;
  assert.equal(dc.maxCurrentA, cap);
  assert.ok(dc.limitedBy.includes("current: adapter ccs1-to-j3400"));
  assert.ok(!r.notes.some((n) => /no DC rating/.test(n)));
});

test("j3400-to-ccs1 (Magic Dock): CCS1 inlet gets DC only; an AC supply cannot charge", () => {
  const r = ok(resolve("ccs1", "j3400", "j3400-to-ccs1"));
  assert.deepEqual(
    r.modes.map((m) => m.mode),
    ["dc"],
  );
  assert.equal(mode(r, "dc")!.maxCurrentA, Math.min(R.CCS_DC_MAX_CURRENT_A, R.J3400_DC_RATED_CURRENT_A));
  assert.ok(r.notes.some((n) => /AC not possible: adapter j3400-to-ccs1 passes DC only/.test(n)));
  const ac = notOk(resolve("ccs1", "j3400", "j3400-to-ccs1", { supply: "ac" }));
  assert.match(ac.reason, /adapter j3400-to-ccs1 passes DC only/);
});

test("j1772-to-j3400: AC L1/L2 into a J3400 inlet, limited by the J3400 AC current", () => {
  const r = ok(resolve("j3400", "j1772", "j1772-to-j3400"));
  assert.deepEqual(
    r.modes.map((m) => m.mode),
    ["ac-l1", "ac-l2"],
  );
  const l2 = mode(r, "ac-l2")!;
  assert.equal(
    l2.maxCurrentA,
    minDefined(
      R.J1772_L2_MAX_CURRENT_A,
      R.J1772_J3400_AC_ADAPTER_RATING.maxCurrentA,
      R.J3400_AC_MAX_CURRENT_A,
    ),
  );
  assert.equal(l2.maxVoltageV, Math.min(R.J1772_L2_VOLTAGE_V, R.J3400_AC_L2_VOLTAGE_V));
  const l1 = mode(r, "ac-l1")!;
  assert.equal(l1.maxCurrentA, Math.min(R.J1772_L1_MAX_CURRENT_A, R.J3400_AC_L1_MAX_CURRENT_A));
  const dc = notOk(resolve("j3400", "j1772", "j1772-to-j3400", { supply: "dc" }));
  assert.match(dc.reason, /connector j1772 does not carry DC/);
});

test("j3400-to-j1772 is AC only: no DC mode, and a J3400 DC charger gets a reason", () => {
  for (const inlet of ["j1772", "ccs1"]) {
    const r = ok(resolve(inlet, "j3400", "j3400-to-j1772"));
    assert.deepEqual(
      r.modes.map((m) => m.mode),
      ["ac-l1", "ac-l2"],
      inlet,
    );
    assert.ok(r.notes.some((n) => /DC not possible: adapter j3400-to-j1772 passes AC only/.test(n)));
    const dc = notOk(resolve(inlet, "j3400", "j3400-to-j1772", { supply: "dc" }));
    assert.match(dc.reason, /^a DC supply cannot charge: adapter j3400-to-j1772 passes AC only/);
    assert.match(dc.reason, /must not pass DC/);
  }
});

test("adapter in the wrong direction: reason says so and suggests the reverse adapter", () => {
  const r = notOk(resolve("ccs1", "j3400", "ccs1-to-j3400"));
  assert.match(r.reason, /^adapter ccs1-to-j3400 is in the wrong direction/);
  assert.equal(r.suggestion, "j3400-to-ccs1");
  const r2 = notOk(resolve("j1772", "j3400", "j1772-to-j3400"));
  assert.match(r2.reason, /wrong direction/);
  assert.equal(r2.suggestion, "j3400-to-j1772");
  const r3 = notOk(resolve("j3400", "j1772", "j3400-to-j1772"));
  assert.match(r3.reason, /wrong direction/);
  assert.equal(r3.suggestion, "j1772-to-j3400");
});

test("adapter whose vehicle side does not mate with the inlet", () => {
  const r = notOk(resolve("j1772", "j3400", "j3400-to-ccs1"));
  assert.match(
    r.reason,
    /adapter j3400-to-ccs1 presents a ccs1 plug to the vehicle, which does not mate with inlet j1772/,
  );
  assert.equal(r.suggestion, "j3400-to-j1772");
  const r2 = notOk(resolve("ccs2", "ccs1", "ccs1-to-j3400"));
  assert.match(r2.reason, /does not mate with inlet ccs2; no adapter in the catalogue joins ccs1 to ccs2/);
  assert.equal(r2.suggestion, undefined);
});

test("adapter that does not take the connector (not merely reversed)", () => {
  const r = notOk(resolve("j3400", "chademo", "ccs1-to-j3400"));
  assert.match(r.reason, /^adapter ccs1-to-j3400 takes a ccs1 connector, not chademo/);
  assert.equal(r.suggestion, undefined);
});

test("combo plug into its own inlet gives DC only; the region's AC plug gives AC only", () => {
  assert.deepEqual(
    ok(resolve("ccs1", "ccs1")).modes.map((m) => m.mode),
    ["dc"],
  );
  assert.deepEqual(
    ok(resolve("ccs1", "j1772")).modes.map((m) => m.mode),
    ["ac-l1", "ac-l2"],
  );
  const t2 = ok(resolve("ccs2", "type2"));
  assert.deepEqual(
    t2.modes.map((m) => m.mode),
    ["ac-3ph"],
  );
  assert.equal(t2.modes[0]!.maxPowerKw, R.TYPE2_AC_MAX_POWER_KW);
  const sup = notOk(resolve("chademo", "chademo", undefined, { supply: "ac" }));
  assert.match(sup.reason, /connector chademo does not carry AC/);
});

test("J3400 legacy 500 V inlet: power capped at V × I and the legacy conflict is reported", () => {
  const r = ok(resolve("j3400", "j3400", undefined, { inletVariant: "legacy500" }));
  const dc = mode(r, "dc")!;
  assert.equal(dc.maxVoltageV, R.J3400_LEGACY_DC_VOLTAGE_V);
  assert.equal(dc.maxPowerKw, (R.J3400_LEGACY_DC_VOLTAGE_V * R.J3400_DC_RATED_CURRENT_A) / 1000);
  assert.ok(dc.maxPowerKw! < R.J3400_LEGACY_DC_POWER_KW);
  assert.ok(dc.limitedBy.includes("power: voltage × current"));
  assert.ok(r.notes.some((n) => n.includes("legacy500.maxPowerKw")));
  // the 1000 V default does not carry the legacy note
  assert.ok(!ok(resolve("j3400", "j3400")).notes.some((n) => n.includes("legacy500")));
});

test("unknown ids throw UnknownIdError naming the field and listing the valid ids", () => {
  const cases: [() => unknown, string, readonly string[]][] = [
    [() => resolve("nacs", "j3400"), "inlet", CONNECTOR_IDS],
    [() => resolve("j3400", "tesla"), "connector", CONNECTOR_IDS],
    [() => resolve("j3400", "ccs1", "magic"), "adapter", ADAPTER_IDS],
    [
      () => resolve("j3400", "j3400", undefined, { connectorVariant: "2000" }),
      "connectorVariant",
      ["1000", "legacy500"],
    ],
    [() => resolve("j1772", "j1772", undefined, { inletVariant: "1000" }), "inletVariant", []],
  ];
  for (const [fn, field, allowed] of cases) {
    assert.throws(fn, (e: unknown) => {
      assert.ok(e instanceof UnknownIdError);
      assert.equal(e.code, "E_UNKNOWN_ID");
      assert.equal(e.field, field);
      assert.deepEqual([...e.allowed], [...allowed]);
      for (const id of allowed) assert.ok(e.message.includes(id), `${id} not in message`);
      return true;
    });
  }
});

test("exhaustive: for every inlet/connector/adapter, ok ⇔ the plugs mate, and limits never exceed any side", () => {
  let possible = 0;
  for (const inlet of CONNECTOR_IDS)
    for (const connector of CONNECTOR_IDS)
      for (const adapter of [undefined, ...ADAPTER_IDS]) {
        const r = resolve(inlet, connector, adapter);
        const a = adapter ? ADAPTERS[adapter] : undefined;
        const physical = a
          ? a.evseSide === connector && mates(a.vehicleSide, inlet)
          : mates(connector, inlet);
        if (!r.ok) {
          assert.ok(!physical || r.reason.startsWith("no power path"), `${inlet}/${connector}/${adapter}`);
          continue;
        }
        possible++;
        assert.ok(physical);
        const co = CONNECTORS[connector];
        const inl = CONNECTORS[inlet];
        for (const m of r.modes) {
          if (m.mode === "dc") {
            assert.ok(!a || a.passes.includes("dc"), "DC through an AC-only adapter");
            const cv = getDcVariant(co, undefined, "c")!;
            const iv = getDcVariant(inl, undefined, "i")!;
            for (const k of ["maxVoltageV", "maxCurrentA", "maxPowerKw"] as const) {
              if (m[k] === null) continue;
              for (const side of [cv[k], iv[k]]) if (side !== null) assert.ok(m[k]! <= side, `${k}`);
            }
          } else {
            assert.ok(!a || a.passes.includes("ac"), "AC through a DC-only adapter");
            for (const row of [co, inl]) {
              const lvl = row.modes.ac?.levels.find((l) => l.mode === m.mode);
              assert.ok(lvl, `${m.mode} not offered by ${row.id}`);
              if (m.maxCurrentA !== null && lvl.maxCurrentA !== null)
                assert.ok(m.maxCurrentA <= lvl.maxCurrentA);
              if (m.maxPowerKw !== null && lvl.maxPowerKw !== null) assert.ok(m.maxPowerKw <= lvl.maxPowerKw);
            }
          }
          if (m.maxVoltageV !== null && m.maxCurrentA !== null && m.maxPowerKw !== null) {
            const k = m.mode === "ac-3ph" ? Math.sqrt(3) : 1;
            assert.ok(m.maxPowerKw <= (k * m.maxVoltageV * m.maxCurrentA) / 1000 + 1e-3, "power above V×I");
          }
        }
        assert.ok(r.modes.length > 0);
      }
  // 9 same-system pairs + ccs1←j1772 + ccs2←type2 + 4 adapters, plus j3400-to-j1772 into a CCS1 inlet
  assert.equal(possible, CONNECTOR_IDS.length + 2 + ADAPTER_IDS.length + 1);
});
