/** Bit-level grammar checks against the grammar builder: worked examples decoded by hand from the V2G vectors. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { buildTypeGrammar, codeWidth } from "./grammar.js";
import { SHARED, sharedSkip } from "./vectors.js";
import { SchemaSet } from "./xsd.js";

const schemas = join(SHARED, "schemas");
const skip = sharedSkip("schemas");

test("document grammar widths and indices (W3C EXI 1.0 §8.5.1; the SAP vectors)", { skip }, () => {
  const din = new SchemaSet([join(schemas, "din/V2G_CI_MsgDef.xsd")]);
  const g = din.globals();
  assert.equal(codeWidth(g.length + 1), 7);
  assert.equal(
    g.findIndex((d) => d.name.local === "V2G_Message"),
    77,
  );
  const iso2 = new SchemaSet([join(schemas, "iso2/V2G_CI_MsgDef.xsd")]);
  assert.equal(
    iso2.globals().findIndex((d) => d.name.local === "V2G_Message"),
    76,
  );
  const sap = new SchemaSet([join(schemas, "apphand/V2G_CI_AppProtocol.xsd")]);
  assert.equal(codeWidth(sap.globals().length + 1), 2);
});

test("DIN body: BodyElement at 0, SessionSetupReq = 29, 6-bit codes", { skip }, () => {
  const din = new SchemaSet([join(schemas, "din/V2G_CI_MsgDef.xsd")]);
  const body = din.complexTypes.find((t) => t.codeName === "BodyType")!;
  const st0 = buildTypeGrammar(din, body).states[0]!;
  assert.equal(st0.width, 6);
  assert.equal(st0.prods[0]!.decl!.name.local, "BodyElement");
  assert.equal(
    st0.prods.findIndex((p) => p.decl?.name.local === "SessionSetupReq"),
    29,
  );
});

test("SAP response grammar: SE(ResponseCode) 1 bit, then {SE(SchemaID), EE} 2 bits", { skip }, () => {
  const sap = new SchemaSet([join(schemas, "apphand/V2G_CI_AppProtocol.xsd")]);
  const res = sap.globals().find((d) => d.name.local === "supportedAppProtocolRes")!;
  assert.equal(res.type.kind, "complex");
  const g = buildTypeGrammar(sap, res.type as never);
  assert.equal(g.states[0]!.width, 1);
  const s1 = g.states[g.states[0]!.prods[0]!.next as number]!;
  assert.deepEqual(
    s1.prods.map((p) => p.ev),
    ["SE", "EE"],
  );
  assert.equal(s1.width, 2);
});

test("bounded repetition uses counted phases (AppProtocol maxOccurs 20)", { skip }, () => {
  const sap = new SchemaSet([join(schemas, "apphand/V2G_CI_AppProtocol.xsd")]);
  const req = sap.globals().find((d) => d.name.local === "supportedAppProtocolReq")!;
  const g = buildTypeGrammar(sap, req.type as never);
  const ph = [...g.phaseStates.values()][0]!;
  assert.ok(ph.mid !== undefined && ph.full !== undefined);
  assert.deepEqual(
    g.states[ph.full!]!.prods.map((p) => p.ev),
    ["EE"],
  );
  assert.deepEqual(
    g.states[ph.mid!]!.prods.map((p) => p.ev),
    ["SE", "EE"],
  );
});
