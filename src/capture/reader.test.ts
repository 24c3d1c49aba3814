import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { CaptureError } from "./errors.js";
import { LINKTYPE_ETHERNET, LINKTYPE_LINUX_SLL, PCAPNG_EPB, PCAPNG_SPB } from "./formats.js";
import { type CapturedPacket, type CaptureRecord, createCaptureReader } from "./reader.js";
import { concatAll, createPcapngWriter, encodePcap } from "./writer.js";

/** Feed `file` in chunks of the given sizes (cycled) and collect all records. */
function readChunked(file: Uint8Array, sizes: number[]): { recs: CaptureRecord[]; rest: number } {
  const r = createCaptureReader();
  const recs: CaptureRecord[] = [];
  let o = 0;
  let i = 0;
  while (o < file.length) {
    const n = Math.max(1, sizes[i++ % sizes.length]!);
    recs.push(...r.push(file.slice(o, o + n)));
    o += n;
  }
  return { recs, rest: r.end() };
}

const packetArb = fc.record({
  tsSec: fc.integer({ min: 0, max: 0xffffffff }),
  tsNsec: fc.integer({ min: 0, max: 999_999_999 }),
  data: fc.uint8Array({ minLength: 0, maxLength: 300 }),
});

test("pcap: both byte orders, µs and ns, any chunking — records and timestamps come back", () => {
  fc.assert(
    fc.property(
      fc.array(packetArb, { maxLength: 20 }),
      fc.boolean(),
      fc.boolean(),
      fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 5 }),
      (pkts, bigEndian, nanoseconds, sizes) => {
        const file = encodePcap(LINKTYPE_ETHERNET, pkts, { bigEndian, nanoseconds });
        const { recs, rest } = readChunked(file, sizes);
        assert.equal(rest, 0);
        assert.equal(recs.length, pkts.length);
        recs.forEach((rec, i) => {
          const p = pkts[i]!;
          assert.equal(rec.kind, "packet");
          const r = rec as CapturedPacket;
          assert.equal(r.index, i);
          assert.equal(r.linkType, LINKTYPE_ETHERNET);
          assert.equal(r.tsSec, p.tsSec);
          assert.equal(r.tsNsec, nanoseconds ? p.tsNsec : Math.floor(p.tsNsec / 1000) * 1000);
          assert.deepEqual(r.data, p.data);
        });
      },
    ),
    { numRuns: 150 },
  );
});

test("pcapng: byte orders, two interfaces with µs and ns resolution, DSB, any chunking", () => {
  fc.assert(
    fc.property(
      fc.array(fc.record({ p: packetArb, itf: fc.integer({ min: 0, max: 1 }) }), { maxLength: 15 }),
      fc.boolean(),
      fc.array(fc.integer({ min: 1, max: 500 }), { minLength: 1, maxLength: 5 }),
      (pkts, bigEndian, sizes) => {
        const w = createPcapngWriter({
          bigEndian,
          interfaces: [
            { linkType: LINKTYPE_ETHERNET, name: "eth0", tsResolution: 6 },
            { linkType: LINKTYPE_LINUX_SLL, tsResolution: 9 },
          ],
        });
        const parts = [w.header(), w.tlsKeyLog("CLIENT_RANDOM 00 11\n")];
        for (const { p, itf } of pkts) parts.push(w.packet(itf, p.tsSec, p.tsNsec, p.data));
        const { recs, rest } = readChunked(concatAll(parts), sizes);
        assert.equal(rest, 0);
        assert.equal(recs[0]?.kind, "secrets");
        assert.equal((recs[0] as { text?: string }).text, "CLIENT_RANDOM 00 11\n");
        const packets = recs.filter((r): r is CapturedPacket => r.kind === "packet");
        assert.equal(packets.length, pkts.length);
        packets.forEach((r, i) => {
          const { p, itf } = pkts[i]!;
          assert.equal(r.interfaceId, itf);
          assert.equal(r.linkType, itf === 0 ? LINKTYPE_ETHERNET : LINKTYPE_LINUX_SLL);
          assert.equal(r.tsSec, p.tsSec);
          assert.equal(r.tsNsec, itf === 0 ? Math.floor(p.tsNsec / 1000) * 1000 : p.tsNsec);
          assert.deepEqual(r.data, p.data);
        });
      },
    ),
    { numRuns: 100 },
  );
});

test("pcapng: a second section with its own byte order and interfaces; SPB; binary if_tsresol", () => {
  const a = createPcapngWriter({ interfaces: [{ linkType: LINKTYPE_ETHERNET }] });
  const b = createPcapngWriter({ bigEndian: true, interfaces: [{ linkType: LINKTYPE_LINUX_SLL }] });
  // hand-made SPB (little endian, section a) and an IDB with if_tsresol = 2^-10
  const spb = new Uint8Array(20);
  const dv = new DataView(spb.buffer);
  dv.setUint32(0, PCAPNG_SPB, true);
  dv.setUint32(4, 20, true);
  dv.setUint32(8, 3, true);
  spb.set([7, 8, 9], 12);
  dv.setUint32(16, 20, true);
  const file = concatAll([
    a.header(),
    a.packet(0, 1, 5, Uint8Array.of(1)),
    spb,
    b.header(),
    b.packet(0, 2, 6, Uint8Array.of(2)),
  ]);
  const { recs } = readChunked(file, [13]);
  const p = recs as CapturedPacket[];
  assert.deepEqual(
    p.map((r) => [r.interfaceId, r.linkType, r.tsSec, r.tsNsec, [...r.data]]),
    [
      [0, LINKTYPE_ETHERNET, 1, 5, [1]],
      [0, LINKTYPE_ETHERNET, 0, 0, [7, 8, 9]],
      [1, LINKTYPE_LINUX_SLL, 2, 6, [2]],
    ],
  );
  // binary resolution: 1024 units per second
  const idb = new Uint8Array(32);
  const idv = new DataView(idb.buffer);
  idv.setUint32(0, 1, true);
  idv.setUint32(4, 32, true);
  idv.setUint16(8, LINKTYPE_ETHERNET, true);
  idv.setUint16(16, 9, true);
  idv.setUint16(18, 1, true);
  idb[20] = 0x80 | 10;
  idv.setUint32(28, 32, true);
  const shb = createPcapngWriter({ interfaces: [] }).header();
  const epb = new Uint8Array(36);
  const edv = new DataView(epb.buffer);
  edv.setUint32(0, PCAPNG_EPB, true);
  edv.setUint32(4, 36, true);
  edv.setUint32(16, 1024 * 3 + 512, true); // 3.5 s
  edv.setUint32(20, 4, true);
  edv.setUint32(24, 4, true);
  edv.setUint32(32, 36, true);
  const r2 = readChunked(concatAll([shb, idb, epb]), [1000]).recs as CapturedPacket[];
  assert.equal(r2[0]?.tsSec, 3);
  assert.equal(r2[0]?.tsNsec, 500_000_000);
});

test("reader: bad magic and a cut-short file", () => {
  assert.throws(
    () => createCaptureReader().push(new Uint8Array(24).fill(7)),
    (e: unknown) => e instanceof CaptureError && e.code === "bad-magic" && /magic 0x07070707/.test(e.message),
  );
  const file = encodePcap(LINKTYPE_ETHERNET, [{ tsSec: 1, tsNsec: 0, data: new Uint8Array(50) }]);
  const r = createCaptureReader();
  assert.equal(r.push(file.subarray(0, file.length - 10)).length, 0);
  assert.equal(r.end(), 24 + 16 + 50 - 10 - 24);
  assert.throws(
    () => createCaptureReader().end(),
    (e: unknown) => e instanceof CaptureError && e.code === "truncated",
  );
});
