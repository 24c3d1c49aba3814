/**
 * Our EVSE and our EV in two network namespaces joined by a veth run SLAC over raw Ethernet
 * until matched; tshark dissects every frame we sent as HomePlug AV with no malformed mark, and each
 * frame has the same layout (length, field offsets) as the frames of that MMTYPE in the EVerest captures.
 * Skipped with a printed reason when not root (CI runs as root) or when the raw Ethernet addon is missing.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, statSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { rawAddonPath } from "../../src/link/raw/addon.js";
import { decodeSlacFrame, mmeLength } from "../../src/slac/index.js";
import { readPcapFile } from "../../src/slac/testing/pcap-frames.js";
import { sharedSkip } from "../codegen/vectors.js";
import { listNetns, netnsSkipReason } from "./netns.js";
import { runSlacNetns, type SlacNetnsResult } from "./slac-netns.js";
import { findTshark, layoutKey, tsharkFrames, tsharkLayouts, tsharkMalformed } from "./tshark.js";

const skip =
  netnsSkipReason() ??
  (existsSync(rawAddonPath()) ? undefined : `raw Ethernet addon not built (${rawAddonPath()}): run npm ci`);
if (skip) console.log(`# netns SLAC test skipped: ${skip}`);
const tsharkSkip = findTshark() ? false : "tshark not installed (apt-get install -y tshark)";
if (!skip && tsharkSkip) console.log(`# tshark checks skipped: ${tsharkSkip}`);

const EVEREST_DIR = fileURLToPath(new URL("../../../shared/captures/EVerest-logfiles/", import.meta.url));
function referenceFiles(): string[] {
  if (!existsSync(EVEREST_DIR)) {
    throw new Error(`reference captures missing: ${EVEREST_DIR} (shared/ must sit beside the repository)`);
  }
  return readdirSync(EVEREST_DIR)
    .map((f) => EVEREST_DIR + f)
    .sort((a, b) => statSync(a).size - statSync(b).size || a.localeCompare(b));
}

const mmtypeOf = (payload: Uint8Array) => payload[1]! | (payload[2]! << 8);
const hex = (n: number) => `0x${n.toString(16)}`;

test(
  "netns: EV and EVSE in two namespaces match over raw Ethernet; namespaces are removed afterwards",
  {
    skip,
  },
  async (t) => {
    let r: SlacNetnsResult | undefined;
    try {
      r = await runSlacNetns({ capture: !tsharkSkip });
    } finally {
      assert.deepEqual(
        listNetns().filter((n) => n.endsWith(`-${process.pid}`)),
        [],
        "namespaces of this run are gone",
      );
    }
    const res = r;
    t.after(() => res.cleanup());
    assert.equal(res.ev.outcome, "matched", JSON.stringify(res.ev));
    assert.equal(res.evse.outcome, "matched", JSON.stringify(res.evse));
    assert.equal(res.ev.nid, res.evse.nid);
    assert.equal(res.ev.nmk, res.evse.nmk);
    assert.equal(res.ev.peerMac, res.evse.mac);
    assert.equal(res.evse.peerMac, res.ev.mac);
    assert.equal(res.ev.undecodable + res.evse.undecodable, 0);
    assert.equal(res.evse.framesReceived, res.ev.framesSent, "veth loses nothing: EVSE got every EV frame");
    assert.equal(res.ev.framesReceived, res.evse.framesSent);
    console.log(
      `# plug-in to link ready: ${res.ev.atMs.toFixed(1)} ms (EV), ${res.ev.framesSent}+${res.evse.framesSent} frames`,
    );

    await t.test("tshark dissects every frame as HomePlug AV, none malformed", { skip: tsharkSkip }, () => {
      const pcap = res.pcapPath!;
      const frames = tsharkFrames(pcap);
      assert.equal(
        frames.length,
        res.ev.framesSent + res.evse.framesSent,
        "every frame we sent was captured",
      );
      for (const f of frames) {
        assert.equal(f.protocols, "eth:ethertype:homeplug-av", `frame ${f.number}: ${f.protocols}`);
        assert.ok(f.mmtype !== undefined, `frame ${f.number} has an MMTYPE`);
      }
      assert.deepEqual(tsharkMalformed(pcap), []);
      const sentKinds = new Set(
        [...res.ev.frames, ...res.evse.frames].filter((x) => x.dir === "tx").map((x) => x.kind),
      );
      assert.ok(sentKinds.has("CM_SLAC_MATCH.CNF") && sentKinds.has("CM_MNBC_SOUND.IND"));
    });

    await t.test(
      "our frames have the EVerest captures' layout per MMTYPE (length, header, field offsets)",
      { skip: tsharkSkip || sharedSkip("captures/EVerest-logfiles") },
      () => {
        const pcap = res.pcapPath!;
        const ours = readPcapFile(pcap).frames.filter((f) => f.etherType === 0x88e1);
        const needed = new Set(ours.map((f) => mmtypeOf(f.payload)));
        // reference frames (our pcap reader) and dissected layouts (tshark), smallest capture files first,
        // until every MMTYPE we sent has references (at least 3 files, i.e. 3 vehicles' sessions)
        const refFrames = new Map<number, Uint8Array[]>();
        const refLayouts = new Map<number, Set<string>>();
        let used = 0;
        for (const file of referenceFiles()) {
          if (used >= 3 && [...needed].every((m) => refFrames.has(m) && refLayouts.has(m))) break;
          used++;
          for (const f of readPcapFile(file).frames) {
            if (f.etherType !== 0x88e1) continue;
            const m = mmtypeOf(f.payload);
            if (!refFrames.has(m)) refFrames.set(m, []);
            refFrames.get(m)!.push(f.data);
          }
          for (const l of tsharkLayouts(file)) {
            if (!refLayouts.has(l.mmtype)) refLayouts.set(l.mmtype, new Set());
            refLayouts.get(l.mmtype)!.add(layoutKey(l));
          }
        }
        for (const m of needed) {
          const refs = refFrames.get(m);
          assert.ok(refs && refs.length > 0, `no reference frame with MMTYPE ${hex(m)}`);
          const shortest = refs.reduce((a, b) => (b.length < a.length ? b : a));
          const want = decodeSlacFrame(shortest);
          for (const f of ours.filter((x) => mmtypeOf(x.payload) === m)) {
            assert.equal(f.data.length, shortest.length, `MMTYPE ${hex(m)}: frame length`);
            assert.deepEqual(
              f.data.subarray(12, 19),
              shortest.subarray(12, 19),
              `MMTYPE ${hex(m)}: EtherType, MMV, MMTYPE, FMI`,
            );
            assert.equal(
              mmeLength(decodeSlacFrame(f.data).mme),
              mmeLength(want.mme),
              `MMTYPE ${hex(m)}: MME length`,
            );
          }
        }
        const layouts = tsharkLayouts(pcap);
        assert.equal(layouts.length, ours.length);
        for (const l of layouts) {
          const refs = refLayouts.get(l.mmtype);
          assert.ok(refs, `no dissected reference for MMTYPE ${hex(l.mmtype)}`);
          assert.ok(
            refs.has(layoutKey(l)),
            `MMTYPE ${hex(l.mmtype)}: field offsets differ from the captures:\n${layoutKey(l)}`,
          );
        }
      },
    );
  },
);

test("netns: a run that cannot finish still removes its namespaces and stations", { skip }, async () => {
  await assert.rejects(runSlacNetns({ timeoutMs: 1 }), /timed out|exited first/);
  assert.deepEqual(
    listNetns().filter((n) => n.endsWith(`-${process.pid}`)),
    [],
  );
});
