import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { layoutPhaseLabels, phaseBands } from "./phase-bands.js";

test("phase bands: each phase until the next, the last until the end of the session", () => {
  assert.deepEqual(
    phaseBands(
      [
        { t: 1.261, phase: "cable-check" },
        { t: 3.509, phase: "pre-charge" },
        { t: 3.725, phase: "charging" },
      ],
      40,
    ),
    [
      { phase: "cable-check", t0: 1.261, t1: 3.509 },
      { phase: "pre-charge", t0: 3.509, t1: 3.725 },
      { phase: "charging", t0: 3.725, t1: 40 },
    ],
  );
});

test("phase labels: close phases go to further rows instead of piling up", () => {
  const bands = phaseBands(
    [
      { t: 1.261, phase: "cable-check" },
      { t: 3.509, phase: "pre-charge" },
      { t: 3.725, phase: "charging" },
      { t: 33.8, phase: "stopping" },
    ],
    40,
  );
  const labels = layoutPhaseLabels(
    bands,
    (t) => t * 20,
    (s) => s.length * 6,
  );
  assert.deepEqual(
    labels.map((l) => l.row),
    [0, 1, 2, 0],
  );
});

test("phase labels: a label at the right edge moves left instead of being cut off", () => {
  const labels = layoutPhaseLabels(
    [
      { phase: "stopping", t0: 33.8, t1: 34.9 },
      { phase: "ended", t0: 34.9, t1: 35 },
    ],
    (t) => t * 20,
    (s) => s.length * 6,
    4,
    700,
  );
  assert.deepEqual(
    labels.map((l) => [l.x, l.row]),
    [
      [652, 0],
      [670, 1],
    ],
  );
});

test("phase labels: no two labels of a row overlap, none past the right edge (property)", () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.double({ min: 0, max: 1000, noNaN: true }), fc.string({ maxLength: 14 })), {
        maxLength: 40,
      }),
      fc.double({ min: 0.01, max: 50, noNaN: true }),
      fc.double({ min: 200, max: 60000, noNaN: true }),
      (marks, scale, maxX) => {
        const phases = marks.map(([t, phase]) => ({ t, phase })).sort((a, b) => a.t - b.t);
        const labels = layoutPhaseLabels(
          phaseBands(phases, 1000),
          (t) => t * scale,
          (s) => s.length * 7,
          4,
          maxX,
        );
        for (const l of labels) assert.ok(l.x + l.width <= maxX);
        for (let a = 0; a < labels.length; a++)
          for (let b = a + 1; b < labels.length; b++) {
            const p = labels[a]!;
            const q = labels[b]!;
            if (p.row !== q.row) continue;
            assert.ok(p.x + p.width + 4 <= q.x || q.x + q.width + 4 <= p.x, JSON.stringify([p, q]));
          }
      },
    ),
  );
});
