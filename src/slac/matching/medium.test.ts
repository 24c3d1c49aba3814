import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { AAG_GROUPS } from "../constants.js";
import { encodeSlacFrame } from "../frame.js";
import { SlacConfigError } from "./errors.js";
import { InMemoryMedium } from "./medium.js";
import { slacMatchReq, slacParmReq } from "./messages.js";

const mac = (n: number) => Uint8Array.from([2, 0, 0, 0, 0, n]);
const RUN = new Uint8Array(8).fill(7);

function three(seed = 1, loss = 0) {
  const m = new InMemoryMedium({ seed, noiseDb: 2 });
  m.attach("a", mac(1));
  m.attach("b", mac(2));
  m.attach("c", mac(3));
  m.setLink("a", "b", { attenuationDb: 20, loss });
  m.setLink("a", "c", { attenuationDb: 50 });
  return m;
}

test("medium: broadcast reaches every coupled station, unicast only its MAC; frames survive the codec", () => {
  const m = three();
  const bc = m.transmit("a", slacParmReq(mac(1), RUN), 10);
  assert.deepEqual(bc.map((d) => d.to).sort(), ["b", "c"]);
  for (const d of bc) {
    assert.equal(d.atMs, 11);
    assert.deepEqual(encodeSlacFrame(d.frame), encodeSlacFrame(slacParmReq(mac(1), RUN)));
    assert.equal(d.attenuationDb.length, AAG_GROUPS);
  }
  const uni = m.transmit("a", slacMatchReq(mac(1), mac(3), RUN), 10);
  assert.deepEqual(
    uni.map((d) => d.to),
    ["c"],
  );
  assert.deepEqual(m.transmit("b", slacMatchReq(mac(2), mac(3), RUN), 0), [], "b and c are not coupled");
});

test("medium: measured attenuation averages to the link's value and stays within the noise", () => {
  const m = three();
  let sum = 0;
  let n = 0;
  for (let i = 0; i < 50; i++) {
    const d = m.transmit("a", slacParmReq(mac(1), RUN), 0).find((x) => x.to === "b")!;
    for (const v of d.attenuationDb) {
      assert.ok(v >= 20 - 0.2 * 29 - 2 - 1 && v <= 20 + 0.2 * 29 + 2 + 1, `value ${v}`);
      sum += v;
      n++;
    }
  }
  assert.ok(Math.abs(sum / n - 20) < 0.3, `mean ${sum / n}`);
});

test("medium: loss rate follows the link's probability and the seed makes runs repeatable (property)", () => {
  fc.assert(
    fc.property(fc.integer(), fc.double({ min: 0, max: 1, noNaN: true }), (seed, loss) => {
      const run = () => {
        const m = three(seed, loss);
        let got = 0;
        for (let i = 0; i < 400; i++) got += m.transmit("b", slacParmReq(mac(2), RUN), i).length;
        return got;
      };
      const got = run();
      assert.equal(run(), got);
      assert.ok(Math.abs(got / 400 - (1 - loss)) < 0.1, `delivered ${got}/400 at loss ${loss}`);
    }),
    { numRuns: 30 },
  );
});

test("medium: bad links and names are SlacConfigError naming the field", () => {
  const m = three();
  assert.throws(() => m.setLink("a", "b", { attenuationDb: 20, loss: 2 }), /medium link a-b\.loss = 2/);
  assert.throws(() => m.setLink("a", "zz", { attenuationDb: 20 }), SlacConfigError);
  assert.throws(() => m.attach("a", mac(9)), /name taken/);
  assert.throws(() => new InMemoryMedium({ seed: 1, latencyMs: -1 }), /medium\.latencyMs/);
});
