/**
 * Damaged captures: the reader reports each damaged stretch (file offset, bytes skipped, field and rule),
 * resynchronises at the next plausible record or block, and the decoder goes on. Real captures from
 * ../shared/captures are damaged at several offsets (bytes overwritten, bytes cut, a truncated tail).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { sharedSkip } from "../../tools/codegen/vectors.js";
import { type CaptureEvent, createCaptureDecoder } from "./decoder.js";
import { LINKTYPE_ETHERNET } from "./formats.js";
import { type CapturedDamage, type CaptureRecord, createCaptureReader } from "./reader.js";
import { encodePcap } from "./writer.js";

const capturesDir = fileURLToPath(new URL("../../../shared/captures/", import.meta.url));
const PCAPNG = `${capturesDir}dsV2Gshark/ISO-2_DC_DS5366.pcapng`;
const PCAP = `${capturesDir}EVerest-logfiles/Hyundai__Kona_2017__din_spec_70121__kona1.dump`;
const SMALL_PCAPNG = `${capturesDir}dsV2Gshark/ISO-20_BPT_AC_DS5366_Josev.pcapng`;
const SMALL_PCAP = `${capturesDir}EVerest-logfiles/Opel__Mokka-E__iso_15118-2_DC__2023-04-14T14-26-45.452Z-9_config-josev-dc-iso2_failure__ethernet-traffic.dump`;
const noShared = sharedSkip("captures");

/** Read and decode a whole file held in memory, fed in chunks of `chunk` bytes. */
function decodeBytes(file: Uint8Array, chunk = 65536): { recs: CaptureRecord[]; events: CaptureEvent[] } {
  const reader = createCaptureReader();
  const decoder = createCaptureDecoder();
  const recs: CaptureRecord[] = [];
  for (let o = 0; o < file.length; o += chunk) recs.push(...reader.push(file.subarray(o, o + chunk)));
  recs.push(...reader.finish());
  reader.end();
  const events = [...recs.flatMap((r) => decoder.push(r)), ...decoder.end()];
  return { recs, events };
}

const packets = (recs: CaptureRecord[]): number => recs.filter((r) => r.kind === "packet").length;
const v2g = (events: CaptureEvent[]): number => events.filter((e) => e.layer === "v2g").length;
const damages = (recs: CaptureRecord[]): CapturedDamage[] =>
  recs.filter((r): r is CapturedDamage => r.kind === "damage");

/** File offsets of the record/block starts (pcap after the 24-byte header; pcapng from 0). */
function recordStarts(file: Uint8Array, pcapng: boolean): number[] {
  const dv = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const out: number[] = [];
  let o = pcapng ? 0 : 24;
  while (o + 16 <= file.length) {
    out.push(o);
    o += pcapng ? dv.getUint32(o + 4, true) : 16 + dv.getUint32(o + 8, true);
  }
  return out;
}

type Damage = "overwrite-length" | "overwrite-header" | "cut";

function damage(file: Uint8Array, at: number, how: Damage, pcapng: boolean): Uint8Array {
  if (how === "cut") return Buffer.concat([file.subarray(0, at + 5), file.subarray(at + 5 + 37)]);
  const out = file.slice();
  if (how === "overwrite-length") out.set([0xff, 0xff, 0xff, 0x7f], at + (pcapng ? 4 : 8));
  else out.fill(0xa5, at, at + 16);
  return out;
}

for (const [name, path, pcapng] of [
  ["pcapng", PCAPNG, true],
  ["pcap", PCAP, false],
] as const) {
  test(
    `${name}: damage at 10 %…90 % of a real capture — the packets before and after it are kept, each gap reported`,
    {
      skip: noShared,
    },
    () => {
      const file = new Uint8Array(readFileSync(path));
      const clean = decodeBytes(file);
      assert.equal(damages(clean.recs).length, 0, "the undamaged capture has no damage");
      const starts = recordStarts(file, pcapng);
      for (const frac of [0.1, 0.25, 0.5, 0.75, 0.9]) {
        const at = starts[Math.floor(starts.length * frac)]!;
        for (const how of ["overwrite-length", "overwrite-header", "cut"] as const) {
          const what = `${how} at byte ${at} (${frac * 100} %)`;
          const bad = decodeBytes(damage(file, at, how, pcapng), 4093);
          const d = damages(bad.recs);
          assert.ok(d.length >= 1, `${what}: damage reported`);
          assert.equal(d[0]!.offset, at, `${what}: the gap starts at the damaged record`);
          assert.ok(d[0]!.skipped > 0 && d[0]!.skipped < 2000, `${what}: ${d[0]!.skipped} bytes skipped`);
          assert.match(d[0]!.reason, /length|len|ts_|magic/, `${what}: the reason names the field`);
          assert.ok(
            packets(bad.recs) >= packets(clean.recs) - 3,
            `${what}: ${packets(bad.recs)} of ${packets(clean.recs)} packets`,
          );
          assert.ok(v2g(bad.events) >= v2g(clean.events) - 3, `${what}: ${v2g(bad.events)} V2G messages`);
          const ev = bad.events.find((e) => e.type === "CaptureDamage");
          assert.equal(ev?.layer, "capture");
          assert.equal(ev?.error?.code, "CAPTURE_DAMAGED");
          assert.match(ev?.error?.message ?? "", new RegExp(`^bytes ${at}–`));
        }
      }
      // a truncated tail: everything before it, and the cut reported
      const cut = decodeBytes(file.subarray(0, file.length - 50));
      assert.equal(packets(cut.recs), packets(clean.recs) - 1);
      const t = damages(cut.recs);
      assert.equal(t.length, 1);
      assert.equal(t[0]!.truncated, true);
      assert.equal(cut.events.filter((e) => e.type === "CaptureTruncated").length, 1);
    },
  );
}

test("pcap: a damaged record header in a synthetic file — exact offset and length of the gap", () => {
  const pkts = Array.from({ length: 6 }, (_, i) => ({
    tsSec: 1000 + i,
    tsNsec: 0,
    data: new Uint8Array(60).fill(i + 1),
  }));
  const file = encodePcap(LINKTYPE_ETHERNET, pkts);
  const rec2 = 24 + 2 * (16 + 60);
  const bad = file.slice();
  new DataView(bad.buffer).setUint32(rec2 + 8, 0x00ffffff, true); // incl_len of packet 2
  const { recs } = decodeBytes(bad, 7);
  const d = damages(recs);
  assert.equal(d.length, 1);
  assert.equal(d[0]!.offset, rec2);
  assert.equal(d[0]!.skipped, 16 + 60, "exactly packet 2 is skipped");
  assert.match(d[0]!.reason, /incl_len 16777215: must be at most orig_len 60/);
  assert.deepEqual(
    recs.filter((r) => r.kind === "packet").map((r) => (r.kind === "packet" ? r.data[0] : 0)),
    [1, 2, 4, 5, 6],
  );
});

test(
  "random damage of a real capture never throws and decoding terminates (fast-check)",
  {
    skip: noShared,
  },
  () => {
    const files = [SMALL_PCAP, SMALL_PCAPNG].map((p) => new Uint8Array(readFileSync(p)));
    const edit = fc.oneof(
      fc.record({
        kind: fc.constant("overwrite" as const),
        at: fc.nat(),
        bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }),
      }),
      fc.record({ kind: fc.constant("cut" as const), at: fc.nat(), n: fc.integer({ min: 1, max: 3000 }) }),
      fc.record({
        kind: fc.constant("insert" as const),
        at: fc.nat(),
        bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }),
      }),
      fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: files.length - 1 }),
        fc.array(edit, { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 70000 }),
        (which, edits, chunk) => {
          let f = files[which]!;
          for (const e of edits) {
            // keep the file header: without it there is nothing to resynchronise with
            const at = 40 + (e.at % Math.max(1, f.length - 40));
            if (e.kind === "overwrite") {
              f = f.slice();
              f.set(e.bytes.subarray(0, Math.max(0, f.length - at)), at);
            } else if (e.kind === "cut") f = Buffer.concat([f.subarray(0, at), f.subarray(at + e.n)]);
            else if (e.kind === "insert") f = Buffer.concat([f.subarray(0, at), e.bytes, f.subarray(at)]);
            else f = f.subarray(0, at);
          }
          const { recs } = decodeBytes(f, chunk);
          for (const d of damages(recs)) {
            assert.ok(
              d.offset >= 0 && d.skipped > 0 && d.offset + d.skipped <= f.length,
              "gap inside the file",
            );
          }
        },
      ),
      { numRuns: 150 },
    );
  },
);
