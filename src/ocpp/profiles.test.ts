/** Charging-profile composition (K01, K08): stacking, purposes, periods, validity; random stacks. */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  compositeLimitW,
  compositeSchedule,
  profileLimitAt,
  profileProblem,
  scheduleLimitAt,
} from "./profiles.js";
import type { ChargingProfile, ChargingProfilePurpose, InstalledProfile } from "./types.js";

const T0 = Date.UTC(2026, 0, 1);
const tx = { transactionId: "T-1", startedMs: T0 };

function profile(
  id: number,
  purpose: ChargingProfilePurpose,
  stackLevel: number,
  periods: [number, number][],
  more: Partial<ChargingProfile> = {},
): InstalledProfile {
  return {
    evseId: purpose === "ChargingStationMaxProfile" ? 0 : 1,
    receivedMs: T0,
    profile: {
      id,
      stackLevel,
      chargingProfilePurpose: purpose,
      chargingProfileKind: "Relative",
      chargingSchedule: [
        {
          id,
          chargingRateUnit: "W",
          chargingSchedulePeriod: periods.map(([startPeriod, limit]) => ({ startPeriod, limit })),
        },
      ],
      ...more,
    },
  };
}

test("composite: the lowest of station max and the transaction's profile; TxProfile over TxDefaultProfile", () => {
  const ps = [
    profile(1, "ChargingStationMaxProfile", 0, [[0, 150_000]]),
    profile(2, "TxDefaultProfile", 0, [[0, 100_000]]),
  ];
  assert.deepEqual(compositeLimitW(ps, 1, T0 + 1000, tx), { limitW: 100_000, ids: [1, 2] });
  assert.deepEqual(compositeLimitW(ps, 1, T0 + 1000, null), { limitW: 150_000, ids: [1] }, "no tx: no Tx*");
  const withTx = [...ps, profile(3, "TxProfile", 0, [[0, 120_000]], { transactionId: "T-1" })];
  assert.equal(compositeLimitW(withTx, 1, T0 + 1000, tx).limitW, 120_000, "TxProfile replaces TxDefault");
  const other = [...ps, profile(3, "TxProfile", 0, [[0, 10_000]], { transactionId: "T-2" })];
  assert.equal(compositeLimitW(other, 1, T0 + 1000, tx).limitW, 100_000, "another transaction's TxProfile");
});

test("composite: the highest stackLevel with a period now wins; periods and duration follow the clock", () => {
  const ps = [
    profile(1, "TxDefaultProfile", 0, [[0, 100_000]]),
    profile(
      2,
      "TxDefaultProfile",
      5,
      [
        [0, 30_000],
        [60, 60_000],
      ],
      {
        chargingSchedule: [
          {
            id: 2,
            chargingRateUnit: "W",
            duration: 120,
            chargingSchedulePeriod: [
              { startPeriod: 0, limit: 30_000 },
              { startPeriod: 60, limit: 60_000 },
            ],
          },
        ],
      },
    ),
  ];
  assert.equal(compositeLimitW(ps, 1, T0 + 10_000, tx).limitW, 30_000);
  assert.equal(compositeLimitW(ps, 1, T0 + 61_000, tx).limitW, 60_000);
  assert.equal(compositeLimitW(ps, 1, T0 + 121_000, tx).limitW, 100_000, "after its duration: level 0");
});

test("profile: validFrom / validTo bound it; Recurring Daily repeats", () => {
  const p = profile(1, "ChargingStationMaxProfile", 0, [[0, 50_000]], {
    validFrom: new Date(T0 + 5_000).toISOString(),
    validTo: new Date(T0 + 10_000).toISOString(),
  });
  assert.equal(profileLimitAt(p, T0 + 1_000, null), null);
  assert.equal(profileLimitAt(p, T0 + 6_000, null), 50_000);
  assert.equal(profileLimitAt(p, T0 + 10_000, null), null);
  const daily = profile(
    2,
    "ChargingStationMaxProfile",
    0,
    [
      [0, 10_000],
      [3600, 20_000],
    ],
    {
      chargingProfileKind: "Recurring",
      recurrencyKind: "Daily",
    },
  );
  daily.profile.chargingSchedule[0]!.startSchedule = new Date(T0).toISOString();
  assert.equal(profileLimitAt(daily, T0 + 86_400_000 + 1_000, null), 10_000);
  assert.equal(profileLimitAt(daily, T0 + 86_400_000 + 3_601_000, null), 20_000);
});

test("SetChargingProfile checks: evse, TxProfile without its transaction, unit A, periods", () => {
  const max = profile(1, "ChargingStationMaxProfile", 0, [[0, 1]]).profile;
  assert.equal(profileProblem(1, max, 1, null)?.reasonCode, "InvalidEvse");
  assert.equal(profileProblem(0, max, 1, null), null);
  assert.equal(profileProblem(2, max, 1, null)?.reasonCode, "UnknownEvse");
  const txp = profile(2, "TxProfile", 0, [[0, 1]], { transactionId: "T-9" }).profile;
  assert.equal(profileProblem(1, txp, 1, null)?.reasonCode, "TxNotFound");
  assert.equal(profileProblem(1, txp, 1, tx)?.reasonCode, "TxNotFound");
  assert.equal(profileProblem(1, { ...txp, transactionId: "T-1" }, 1, tx), null);
  const amps = structuredClone(max);
  amps.chargingSchedule[0]!.chargingRateUnit = "A";
  assert.equal(profileProblem(0, amps, 1, null)?.reasonCode, "UnsupportedRateUnit");
  assert.equal(
    profileProblem(0, profile(3, "ChargingStationMaxProfile", 0, [[5, 1]]).profile, 1, null)?.reasonCode,
    "InvalidSchedule",
  );
  assert.equal(
    profileProblem(
      0,
      profile(3, "ChargingStationMaxProfile", 0, [
        [0, 1],
        [0, 2],
      ]).profile,
      1,
      null,
    )?.reasonCode,
    "InvalidSchedule",
  );
});

const purposes: ChargingProfilePurpose[] = [
  "ChargingStationMaxProfile",
  "ChargingStationExternalConstraints",
  "TxDefaultProfile",
  "TxProfile",
];

test("property: the composite of a random stack never exceeds any profile's limit that applies now", () => {
  const arbProfile = fc.record({
    purpose: fc.constantFrom(...purposes),
    stackLevel: fc.integer({ min: 0, max: 5 }),
    periods: fc.uniqueArray(fc.integer({ min: 0, max: 600 }), { minLength: 0, maxLength: 4 }),
    limits: fc.array(fc.integer({ min: 0, max: 400_000 }), { minLength: 5, maxLength: 5 }),
  });
  fc.assert(
    fc.property(
      fc.array(arbProfile, { maxLength: 8 }),
      fc.integer({ min: 0, max: 900_000 }),
      fc.boolean(),
      (arbs, atMs, withTx) => {
        const ps = arbs.map((a, i) => {
          const starts = [0, ...a.periods.filter((x) => x > 0)].sort((x, y) => x - y);
          return profile(
            i + 1,
            a.purpose,
            a.stackLevel,
            starts.map((st, k) => [st, a.limits[k]!]),
            {
              ...(a.purpose === "TxProfile" && { transactionId: "T-1" }),
            },
          );
        });
        const ctx = withTx ? tx : null;
        const { limitW } = compositeLimitW(ps, 1, T0 + atMs, ctx);
        // every ChargingStationMax / ExternalConstraints profile of the winning (highest) level binds
        for (const purpose of ["ChargingStationMaxProfile", "ChargingStationExternalConstraints"]) {
          const mine = ps.filter((p) => p.profile.chargingProfilePurpose === purpose);
          const top = Math.max(-1, ...mine.map((p) => p.profile.stackLevel));
          for (const p of mine.filter((x) => x.profile.stackLevel === top)) {
            const l = profileLimitAt(p, T0 + atMs, ctx);
            if (l !== null) assert.ok(limitW !== null && limitW <= l, `${limitW} > ${purpose} ${l}`);
          }
        }
        // and the result is one of the limits in force, never made up
        if (limitW !== null) assert.ok(ps.some((p) => profileLimitAt(p, T0 + atMs, ctx) === limitW));
      },
    ),
    { numRuns: 300 },
  );
});

test("composite schedule: a two-period TxProfile under a station maximum, over the next 24 h", () => {
  const ps = [
    profile(1, "ChargingStationMaxProfile", 0, [[0, 100_000]]),
    profile(
      2,
      "TxProfile",
      0,
      [
        [0, 50_000],
        [600, 120_000],
      ],
      { transactionId: "T-1" },
    ),
  ];
  // 100 s into the transaction: 50 kW for 500 s more, then the station's 100 kW
  assert.deepEqual(compositeSchedule(ps, 1, T0 + 100_000, tx), [
    { startS: 0, limitW: 50_000 },
    { startS: 500, limitW: 100_000 },
  ]);
  assert.deepEqual(compositeSchedule([], 1, T0, tx), [{ startS: 0, limitW: null }], "no profile: no limit");
  // a daily recurring limit from 01:00 to 02:00, seen from 00:30 the next day
  const daily = profile(3, "ChargingStationMaxProfile", 0, [[0, 20_000]], {
    chargingProfileKind: "Recurring",
    recurrencyKind: "Daily",
  });
  daily.profile.chargingSchedule[0]!.startSchedule = new Date(T0 + 3_600_000).toISOString();
  daily.profile.chargingSchedule[0]!.duration = 3600;
  assert.deepEqual(compositeSchedule([daily], 1, T0 + 86_400_000 + 1_800_000, null), [
    { startS: 0, limitW: null },
    { startS: 1800, limitW: 20_000 },
    { startS: 5400, limitW: null },
  ]);
});

test("property: the composite schedule's value at every sampled instant is compositeLimitW then", () => {
  const arbProfile = fc.record({
    purpose: fc.constantFrom(...purposes),
    stackLevel: fc.integer({ min: 0, max: 3 }),
    kind: fc.constantFrom("Absolute", "Recurring", "Relative"),
    weekly: fc.boolean(),
    startS: fc.integer({ min: -200_000, max: 200_000 }),
    duration: fc.option(fc.integer({ min: 1, max: 100_000 }), { nil: undefined }),
    validFromS: fc.option(fc.integer({ min: -50_000, max: 100_000 }), { nil: undefined }),
    validToS: fc.option(fc.integer({ min: 0, max: 200_000 }), { nil: undefined }),
    periods: fc.uniqueArray(fc.integer({ min: 1, max: 90_000 }), { minLength: 0, maxLength: 4 }),
    limits: fc.array(fc.integer({ min: 0, max: 400_000 }), { minLength: 5, maxLength: 5 }),
  });
  const iso = (s: number) => new Date(T0 + s * 1000).toISOString();
  fc.assert(
    fc.property(
      fc.array(arbProfile, { maxLength: 6 }),
      fc.integer({ min: 0, max: 100_000_000 }),
      fc.array(fc.integer({ min: 0, max: 86_399_999 }), { minLength: 20, maxLength: 20 }),
      fc.boolean(),
      (arbs, nowOffsetMs, samples, withTx) => {
        const ps = arbs.map((a, i) => {
          const starts = [0, ...a.periods].sort((x, y) => x - y);
          const ip = profile(
            i + 1,
            a.purpose,
            a.stackLevel,
            starts.map((st, k) => [st, a.limits[k]!]),
            {
              chargingProfileKind: a.kind as ChargingProfile["chargingProfileKind"],
              ...(a.kind === "Recurring" && { recurrencyKind: a.weekly ? "Weekly" : "Daily" }),
              ...(a.validFromS !== undefined && { validFrom: iso(a.validFromS) }),
              ...(a.validToS !== undefined && { validTo: iso(a.validToS) }),
              ...(a.purpose === "TxProfile" && { transactionId: "T-1" }),
            },
          );
          const sch = ip.profile.chargingSchedule[0]!;
          if (a.kind !== "Relative") sch.startSchedule = iso(a.startS);
          if (a.duration !== undefined) sch.duration = a.duration;
          return ip;
        });
        const ctx = withTx ? tx : null;
        const now = T0 + nowOffsetMs;
        const sched = compositeSchedule(ps, 1, now, ctx);
        assert.equal(sched[0]?.startS, 0);
        for (let i = 1; i < sched.length; i++) {
          assert.ok(sched[i]!.startS > sched[i - 1]!.startS, "ascending");
          assert.notEqual(sched[i]!.limitW, sched[i - 1]!.limitW, "neighbours merged");
        }
        // the boundaries themselves and random instants within the 24 h
        const at = [...samples, ...sched.map((p) => Math.round(p.startS * 1000))];
        for (const ms of at)
          assert.equal(
            scheduleLimitAt(sched, ms / 1000),
            compositeLimitW(ps, 1, now + ms, ctx).limitW,
            `at +${ms} ms`,
          );
      },
    ),
    { numRuns: 300 },
  );
});
