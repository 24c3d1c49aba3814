/**
 * Acceptance: every HomePlug AV frame (EtherType 0x88E1) of every capture in ../shared/captures
 * (EVerest-logfiles and dsV2Gshark) decodes and re-encodes to identical bytes, padding included.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { sharedSkip } from "../../tools/codegen/vectors.js";
import { ETHERTYPE_HOMEPLUG_AV } from "./constants.js";
import { decodeSlacFrame, encodeSlacFrame } from "./frame.js";
import { nidFromNmk } from "./keys.js";
import { decodeMme, encodeMme, mmtypeOf } from "./mme-codec.js";
import type { Mme } from "./mme-schema.js";
import { LINKTYPE_ETHERNET, readPcapFile } from "./testing/pcap-frames.js";

const capturesDir = fileURLToPath(new URL("../../../shared/captures/", import.meta.url));
const folders = ["EVerest-logfiles", "dsV2Gshark"];

function hex(b: Uint8Array): string {
  return Buffer.from(b).toString("hex");
}

test("captures: shared capture folders are present", { skip: sharedSkip("captures") }, () => {
  for (const f of folders) {
    assert.ok(
      existsSync(capturesDir + f),
      `missing ${capturesDir}${f} — the shared reference material (../shared/captures) must be next to the repo`,
    );
  }
});

/** Field sanity of real MMEs; returns "nid" when an NID/NMK pair was checked against {@link nidFromNmk}. */
function checkFields(mme: Mme, where: string): "nid" | "nid-mismatch" | undefined {
  switch (mme.kind) {
    case "CM_SLAC_MATCH.REQ":
      assert.equal(mme.mvfLength, 0x3e, `${where}: MVFLength`);
      return undefined;
    case "CM_SLAC_MATCH.CNF":
      assert.equal(mme.mvfLength, 0x56, `${where}: MVFLength`);
      return hex(nidFromNmk(mme.nmk)) === hex(mme.nid) ? "nid" : "nid-mismatch";
    case "CM_SET_KEY.REQ":
      return hex(nidFromNmk(mme.newKey)) === hex(mme.nid) ? "nid" : "nid-mismatch";
    case "CM_ATTEN_PROFILE.IND":
    case "CM_ATTEN_CHAR.IND":
      assert.equal(mme.aag.length, mme.numGroups, `${where}: AAG length`);
      return undefined;
    default:
      return undefined;
  }
}

for (const folder of folders) {
  test(
    `captures: every 0x88E1 frame in ${folder} round-trips byte-identically`,
    { skip: sharedSkip(`captures/${folder}`) },
    (t) => {
      const dir = capturesDir + folder;
      const files = readdirSync(dir).sort();
      assert.ok(files.length > 0, `no capture files in ${dir}`);
      const perKind = new Map<string, number>();
      let total = 0;
      let known = 0;
      let vlan = 0;
      let nonZeroPadding = 0;
      let truncatedFiles = 0;
      const nidChecks = new Map<string, number>();
      for (const file of files) {
        const { frames, stats } = readPcapFile(`${dir}/${file}`);
        if (stats.truncated) truncatedFiles++;
        assert.equal(stats.skippedLinkType, 0, `${file}: unexpected link types`);
        for (const fr of frames) {
          if (fr.etherType !== ETHERTYPE_HOMEPLUG_AV) continue;
          total++;
          const where = `${file} record ${fr.index}`;
          if (fr.linkType === LINKTYPE_ETHERNET) {
            const frame = decodeSlacFrame(fr.data);
            assert.equal(hex(encodeSlacFrame(frame)), hex(fr.data), `${where}: re-encoded frame differs`);
            if (frame.vlan) vlan++;
            if (frame.trailer?.some((b) => b !== 0)) nonZeroPadding++;
            const key = `${frame.mme.kind}${frame.mme.kind === "unknown" ? `:0x${mmtypeOf(frame.mme).toString(16)}` : ""}`;
            perKind.set(key, (perKind.get(key) ?? 0) + 1);
            if (frame.mme.kind !== "unknown") known++;
            const nid = checkFields(frame.mme, where);
            if (nid) nidChecks.set(nid, (nidChecks.get(nid) ?? 0) + 1);
          } else {
            const { mme, trailer } = decodeMme(fr.payload);
            assert.equal(hex(encodeMme(mme, trailer)), hex(fr.payload), `${where}: re-encoded MME differs`);
          }
        }
      }
      assert.ok(known > 0, `${folder}: no SLAC MMEs found at all`);
      if (folder === "EVerest-logfiles") {
        // The EVerest EVSE derives its NID from its NMK (libslac generate_nid_from_nmk): a real-world vector.
        assert.ok((nidChecks.get("nid") ?? 0) > 0, "EVerest: no NID/NMK pairs found");
        assert.equal(nidChecks.get("nid-mismatch") ?? 0, 0, "EVerest: NID differs from nidFromNmk(NMK)");
      }
      const counts = [...perKind].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${k}=${n}`);
      t.diagnostic(
        `${folder}: ${files.length} files, ${total} frames 0x88E1 (${known} SLAC, ${vlan} VLAN-tagged, ` +
          `${nonZeroPadding} with non-zero padding; ${truncatedFiles} files end in a truncated record)`,
      );
      t.diagnostic(
        `${folder}: NID = nidFromNmk(NMK) in ${nidChecks.get("nid") ?? 0} SET_KEY.REQ/SLAC_MATCH.CNF, ` +
          `differs in ${nidChecks.get("nid-mismatch") ?? 0}`,
      );
      t.diagnostic(`${folder} per MMTYPE: ${counts.join(", ")}`);
    },
  );
}
