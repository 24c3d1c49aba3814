import assert from "node:assert/strict";
import { test } from "node:test";
import { type PcapStats, pcapFrames } from "./pcap-frames.js";

const eth = Uint8Array.from([...new Uint8Array(12).fill(1), 0x88, 0xe1, 0x01, 0x64, 0x60]);
const vlanEth = Uint8Array.from([...new Uint8Array(12).fill(2), 0x81, 0x00, 0x00, 0x05, 0x86, 0xdd, 0x60]);

function classic(le: boolean, linkType: number, frames: Uint8Array[], cut = 0): Uint8Array {
  const parts: number[] = [];
  const u32 = (v: number) => {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, v, le);
    parts.push(...b);
  };
  const u16 = (v: number) => {
    const b = new Uint8Array(2);
    new DataView(b.buffer).setUint16(0, v, le);
    parts.push(...b);
  };
  u32(0xa1b2c3d4);
  u16(2);
  u16(4);
  u32(0);
  u32(0);
  u32(65535);
  u32(linkType);
  for (const f of frames) {
    u32(1);
    u32(2);
    u32(f.length);
    u32(f.length);
    parts.push(...f);
  }
  return Uint8Array.from(parts.slice(0, parts.length - cut));
}

function stats(): PcapStats {
  return { format: "pcap", records: 0, yielded: 0, skippedLinkType: 0, truncated: 0 };
}

test("pcap-frames: classic pcap in both byte orders, Ethernet with and without VLAN tag", () => {
  for (const le of [true, false]) {
    const s = stats();
    const out = [...pcapFrames(classic(le, 1, [eth, vlanEth]), s)];
    assert.deepEqual(
      out.map((f) => [f.etherType, f.payload[0]]),
      [
        [0x88e1, 0x01],
        [0x86dd, 0x60],
      ],
    );
    assert.equal(s.yielded, 2);
  }
});

test("pcap-frames: truncated last record is counted, unknown link types are skipped and counted", () => {
  const s = stats();
  assert.equal([...pcapFrames(classic(true, 1, [eth, eth], 3), s)].length, 1);
  assert.equal(s.truncated, 1);
  const s2 = stats();
  assert.equal([...pcapFrames(classic(true, 105, [eth]), s2)].length, 0);
  assert.equal(s2.skippedLinkType, 1);
});

test("pcap-frames: Linux cooked SLL (113) and SLL2 (276)", () => {
  const sll = Uint8Array.from([...new Uint8Array(14), 0x88, 0xe1, 0xaa]);
  const sll2 = Uint8Array.from([0x88, 0xe1, ...new Uint8Array(18), 0xbb]);
  assert.deepEqual(
    [...pcapFrames(classic(true, 113, [sll]))].map((f) => [f.etherType, f.payload[0]]),
    [[0x88e1, 0xaa]],
  );
  assert.deepEqual(
    [...pcapFrames(classic(false, 276, [sll2]))].map((f) => [f.etherType, f.payload[0]]),
    [[0x88e1, 0xbb]],
  );
});

test("pcap-frames: pcapng with IDB, EPB and SPB blocks", () => {
  const parts: number[] = [];
  const block = (type: number, body: number[]) => {
    const padded = [...body, ...new Array((4 - (body.length % 4)) % 4).fill(0)];
    const len = 12 + padded.length;
    const b = new Uint8Array(len);
    const dv = new DataView(b.buffer);
    dv.setUint32(0, type, true);
    dv.setUint32(4, len, true);
    b.set(padded, 8);
    dv.setUint32(len - 4, len, true);
    parts.push(...b);
  };
  const le32 = (v: number) => [v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >>> 24];
  block(0x0a0d0d0a, [...le32(0x1a2b3c4d), 1, 0, 0, 0, ...new Array(8).fill(0xff)]);
  block(1, [1, 0, 0, 0, ...le32(0)]);
  block(6, [...le32(0), ...le32(0), ...le32(0), ...le32(eth.length), ...le32(eth.length), ...eth]);
  block(3, [...le32(vlanEth.length), ...vlanEth]);
  const s = stats();
  const out = [...pcapFrames(Uint8Array.from(parts), s)];
  assert.equal(s.format, "pcapng");
  assert.deepEqual(
    out.map((f) => [f.index, f.etherType, f.data.length]),
    [
      [0, 0x88e1, eth.length],
      [1, 0x86dd, vlanEth.length],
    ],
  );
});

test("pcap-frames: unknown magic is rejected", () => {
  assert.throws(() => [...pcapFrames(new Uint8Array(32))], /unknown magic/);
});
