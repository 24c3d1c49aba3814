import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { appHandshake } from "../../codecs/index.js";
import {
  NS_DIN_70121,
  NS_ISO_15118_2,
  NS_ISO_15118_20_AC,
  NS_ISO_15118_20_DC,
  NS_TESLA_DIN_2018,
} from "./namespaces.js";
import { acceptedProtocol, buildAppProtocolReq, selectAppProtocol } from "./select.js";

const ap = (ns: string, prio: number, schema: number, major = 2, minor = 0) => ({
  ProtocolNamespace: ns,
  VersionNumberMajor: major,
  VersionNumberMinor: minor,
  SchemaID: schema,
  Priority: prio,
});

test("Tesla offer (tesla:din:2018 at priority 1, DIN at 2) → DIN", () => {
  const sel = selectAppProtocol({ AppProtocol: [ap(NS_TESLA_DIN_2018, 1, 1, 1), ap(NS_DIN_70121, 2, 2)] }, [
    "iso2",
    "din",
  ]);
  assert.equal(sel.protocol, "din");
  assert.deepEqual(sel.res, { ResponseCode: "OK_SuccessfulNegotiation", SchemaID: 2 });
});

test("EV priority decides among supported namespaces; minor deviation is reported; no match fails", () => {
  const both = { AppProtocol: [ap(NS_DIN_70121, 2, 7), ap(NS_ISO_15118_2, 1, 9)] };
  assert.equal(selectAppProtocol(both, ["din", "iso2"]).protocol, "iso2");
  assert.equal(selectAppProtocol(both, ["din"]).protocol, "din");
  const minor = selectAppProtocol({ AppProtocol: [ap(NS_ISO_15118_2, 1, 3, 2, 1)] }, ["iso2"]);
  assert.equal(minor.res.ResponseCode, "OK_SuccessfulNegotiationWithMinorDeviation");
  const none = selectAppProtocol({ AppProtocol: [ap("urn:iso:std:iso:15118:-20:DC", 1, 1, 1)] }, [
    "iso2",
    "din",
  ]);
  assert.deepEqual(none.res, { ResponseCode: "Failed_NoNegotiation" });
  assert.equal(none.protocol, undefined);
  const wrongMajor = selectAppProtocol({ AppProtocol: [ap(NS_ISO_15118_2, 1, 1, 300, 128)] }, ["iso2"]);
  assert.equal(wrongMajor.res.ResponseCode, "Failed_NoNegotiation");
});

test("EVCC offer round-trips through the SAP codec and the SECC's choice maps back", () => {
  const req = buildAppProtocolReq(["din", "iso2"]);
  const bytes = appHandshake.encodeDocument({ supportedAppProtocolReq: req });
  const back = appHandshake.decodeDocument(bytes);
  assert.ok("supportedAppProtocolReq" in back);
  const sel = selectAppProtocol(back.supportedAppProtocolReq, ["iso2", "din"]);
  assert.equal(sel.protocol, "din");
  assert.equal(acceptedProtocol(["din", "iso2"], sel.res), "din");
  assert.equal(acceptedProtocol(["din"], { ResponseCode: "Failed_NoNegotiation" }), undefined);
});

test("property: the chosen entry is the supported one with the best (lowest) Priority", () => {
  const nsArb = fc.constantFrom(NS_DIN_70121, NS_ISO_15118_2, NS_TESLA_DIN_2018, "urn:x");
  fc.assert(
    fc.property(
      fc.array(fc.record({ ns: nsArb, prio: fc.integer({ min: 1, max: 20 }) }), {
        minLength: 1,
        maxLength: 6,
      }),
      (xs) => {
        const req = { AppProtocol: xs.map((x, i) => ap(x.ns, x.prio, i)) };
        const sel = selectAppProtocol(req, ["din", "iso2"]);
        const ok = xs.filter((x) => x.ns === NS_DIN_70121 || x.ns === NS_ISO_15118_2);
        if (ok.length === 0) return sel.res.ResponseCode === "Failed_NoNegotiation";
        const best = Math.min(...ok.map((x) => x.prio));
        const chosen = xs[sel.schemaId!]!;
        return chosen.prio === best && (chosen.ns === NS_DIN_70121 || chosen.ns === NS_ISO_15118_2);
      },
    ),
    { numRuns: 300 },
  );
});

test("ISO 15118-20: the -20:DC and -20:AC namespaces (version 1.0) are iso20, each only where the station has that hardware; the EV's Priority decides", () => {
  const offer = buildAppProtocolReq(["iso20", "iso2", "din"]);
  assert.deepEqual(offer.AppProtocol[0], {
    ProtocolNamespace: NS_ISO_15118_20_DC,
    VersionNumberMajor: 1,
    VersionNumberMinor: 0,
    SchemaID: 1,
    Priority: 1,
  });
  assert.equal(selectAppProtocol(offer, ["iso20", "iso2", "din"]).protocol, "iso20");
  assert.equal(selectAppProtocol(offer, ["iso2", "din"]).protocol, "iso2");
  assert.equal(selectAppProtocol(offer, ["din"]).protocol, "din");
  const ac = { AppProtocol: [ap(NS_ISO_15118_20_AC, 1, 1, 1), ap(NS_ISO_15118_2, 2, 2)] };
  assert.equal(selectAppProtocol(ac, ["iso20", "iso2"], ["DC"]).protocol, "iso2", "-20:AC at a DC station");
  assert.equal(selectAppProtocol(ac, ["iso20", "iso2"], ["AC"]).protocol, "iso20");
  assert.equal(
    selectAppProtocol(offer, ["iso20", "iso2"], ["AC"]).protocol,
    "iso2",
    "-20:DC at an AC station",
  );
  assert.equal(buildAppProtocolReq(["iso20"], "AC").AppProtocol[0]?.ProtocolNamespace, NS_ISO_15118_20_AC);
  const minor = selectAppProtocol({ AppProtocol: [ap(NS_ISO_15118_20_DC, 1, 4, 1, 1)] }, ["iso20"]);
  assert.equal(minor.res.ResponseCode, "OK_SuccessfulNegotiationWithMinorDeviation");
});
