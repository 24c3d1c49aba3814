import assert from "node:assert/strict";
import { test } from "node:test";
import { ADAPTER_IDS, ADAPTERS } from "./adapters.js";
import { CONNECTOR_IDS, CONNECTORS } from "./catalogue.js";
import * as R from "./ratings.js";
import type { Rating } from "./types.js";

const STATUSES = ["C", "D", "U"];

test("catalogue has the J3400, J1772, CCS1/2, Type 2, CHAdeMO, MCS and GB/T rows, keyed by their own id", () => {
  assert.deepEqual(
    [...CONNECTOR_IDS].sort(),
    ["ccs1", "ccs2", "chademo", "gbt-ac", "gbt-dc", "j1772", "j3400", "mcs", "type2"].sort(),
  );
  for (const id of CONNECTOR_IDS) assert.equal(CONNECTORS[id].id, id);
  for (const id of ADAPTER_IDS) assert.equal(ADAPTERS[id].id, id);
});

test("every row is well formed: sources with status, own plug mates, default variant exists", () => {
  for (const id of CONNECTOR_IDS) {
    const row = CONNECTORS[id];
    assert.ok(row.sources.length > 0, `${id}: no sources`);
    for (const s of row.sources) assert.ok(STATUSES.includes(s.status), `${id}: bad status ${s.status}`);
    assert.ok(row.inletAccepts.includes(id), `${id}: its own plug does not mate with its inlet`);
    for (const other of row.inletAccepts) assert.ok(other in CONNECTORS, `${id}: unknown plug ${other}`);
    assert.ok(row.modes.ac || row.modes.dc, `${id}: no modes`);
    for (const k of row.plugCarries) assert.ok(row.modes[k], `${id}: plug carries ${k} the inlet lacks`);
    const dc = row.modes.dc;
    if (dc) {
      assert.ok(
        dc.variants.some((v) => v.id === dc.defaultVariant),
        `${id}: default variant missing`,
      );
      for (const v of dc.variants) assert.ok(v.sources.length > 0, `${id}/${v.id}: no sources`);
    }
    for (const l of row.modes.ac?.levels ?? []) {
      assert.ok(l.sources.length > 0, `${id}/${l.mode}: no sources`);
      assert.equal(l.mode === "ac-3ph", row.modes.ac?.phases === 3, `${id}/${l.mode}: phases mismatch`);
    }
    for (const c of row.conflicts) assert.ok(c.values.length >= 2, `${id}: conflict ${c.field} < 2 values`);
  }
});

test("a published power above V × I is always recorded as a conflict", () => {
  const check = (id: string, where: string, r: Rating, threePhase: boolean) => {
    if (r.maxPowerKw === null || r.maxVoltageV === null || r.maxCurrentA === null) return;
    const vi = ((threePhase ? Math.sqrt(3) : 1) * r.maxVoltageV * r.maxCurrentA) / 1000;
    if (r.maxPowerKw <= vi + 1e-9) return;
    const row = CONNECTORS[id as keyof typeof CONNECTORS];
    assert.ok(
      row.conflicts.some((c) => c.field.includes(where) && c.field.endsWith("maxPowerKw")),
      `${id} ${where}: ${r.maxPowerKw} kW > V×I ${vi} kW but no conflict recorded`,
    );
  };
  for (const id of CONNECTOR_IDS) {
    const row = CONNECTORS[id];
    for (const v of row.modes.dc?.variants ?? []) check(id, `variants.${v.id}`, v, false);
    for (const l of row.modes.ac?.levels ?? []) check(id, l.mode, l, l.mode === "ac-3ph");
  }
});

test("J3400 row: DC variants legacy 500 V and 1000 V, NACS current conflict kept with both sources", () => {
  const dc = CONNECTORS.j3400.modes.dc!;
  const byId = new Map(dc.variants.map((v) => [v.id, v]));
  assert.equal(byId.get("1000")?.maxVoltageV, R.J3400_DC_MAX_VOLTAGE_V);
  assert.equal(byId.get("legacy500")?.maxVoltageV, R.J3400_LEGACY_DC_VOLTAGE_V);
  assert.equal(byId.get("legacy500")?.maxPowerKw, R.J3400_LEGACY_DC_POWER_KW);
  const current = CONNECTORS.j3400.conflicts.find((c) => c.field === "dc.maxCurrentA");
  assert.ok(current, "NACS current conflict missing");
  assert.deepEqual(current.values.map((v) => v.source.tag).sort(), ["TFL", "W-NACS"]);
  assert.ok(current.values.some((v) => v.value.includes(String(R.J3400_DC_CURRENT_A_TFL))));
  assert.ok(current.values.some((v) => v.value.includes(String(R.J3400_DC_CURRENT_A_WNACS))));
  // the limit never exceeds either published figure
  for (const v of dc.variants) assert.ok((v.maxCurrentA ?? 0) <= R.J3400_DC_CURRENT_A_TFL);
  assert.deepEqual([...CONNECTORS.j3400.plugCarries].sort(), ["ac", "dc"]);
});

test("combo plugs carry DC only; their inlets also take the AC plug of their region", () => {
  for (const [combo, ac] of [
    ["ccs1", "j1772"],
    ["ccs2", "type2"],
  ] as const) {
    assert.deepEqual(CONNECTORS[combo].plugCarries, ["dc"]);
    assert.ok(CONNECTORS[combo].inletAccepts.includes(ac));
    assert.deepEqual(CONNECTORS[combo].modes.ac, CONNECTORS[ac].modes.ac);
  }
  assert.ok(
    CONNECTORS.ccs2.conflicts.some((c) => c.field === "dc.maxVoltageV"),
    "CCS2 920 V vs 1000 V",
  );
});

test("adapters: sides exist, AC adapters pass no DC, Magic Dock has OCPP cNACS-CCS1", () => {
  for (const id of ADAPTER_IDS) {
    const a = ADAPTERS[id];
    assert.equal(id, `${a.evseSide}-to-${a.vehicleSide}`);
    assert.ok(a.evseSide in CONNECTORS && a.vehicleSide in CONNECTORS);
    for (const k of a.passes) assert.ok(a.rating[k], `${id}: passes ${k} without a rating entry`);
    for (const s of a.sources) assert.ok(STATUSES.includes(s.status));
  }
  assert.deepEqual(ADAPTERS["j3400-to-j1772"].passes, ["ac"]);
  assert.deepEqual(ADAPTERS["j1772-to-j3400"].passes, ["ac"]);
  assert.deepEqual(ADAPTERS["ccs1-to-j3400"].passes, ["dc"]);
  assert.equal(ADAPTERS["j3400-to-ccs1"].ocppConnectorType, "cNACS-CCS1");
  assert.equal(ADAPTERS["ccs1-to-j3400"].rating.dc?.maxCurrentA, null, "unconfirmed rating must stay null");
});
