/**
 * Capture decoder acceptance: for every capture in ../shared/captures, the number of V2G messages we report
 * equals the number of V2GTP payloads tshark finds on its own (its TCP reassembly, its TLS decryption with
 * the secrets disclosed in the capture), and every one of them decodes. Skips the tshark comparison, with
 * a printed reason, when tshark is not installed (CI installs it).
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { sharedSkip } from "../../tools/codegen/vectors.js";
import type { CaptureEvent } from "./decoder.js";
import { decodeCaptureFile } from "./node/file.js";
import { createTlsDecryptor } from "./node/tls-decrypt.js";
import { findTshark, tsharkV2gtpCount } from "./testing/tshark.js";

const capturesDir = fileURLToPath(new URL("../../../shared/captures/", import.meta.url));
const tshark = findTshark();

async function decodeAll(path: string, chunkSize?: number): Promise<CaptureEvent[]> {
  const events: CaptureEvent[] = [];
  await decodeCaptureFile(path, { tls: createTlsDecryptor, ...(chunkSize ? { chunkSize } : {}) }, (e) =>
    events.push(e),
  );
  return events;
}

for (const folder of ["EVerest-logfiles", "dsV2Gshark"]) {
  test(
    `captures in ${folder}: every V2GTP payload is reported and decodes; counts equal tshark's`,
    { skip: sharedSkip(`captures/${folder}`) },
    async (t) => {
      const dir = capturesDir + folder;
      assert.ok(existsSync(dir), `missing ${dir} — the shared reference material must be next to the repo`);
      if (!tshark) t.diagnostic("tshark not installed: skipping the independent count (CI installs tshark)");
      const files = readdirSync(dir).sort();
      assert.ok(files.length > 0);
      let total = 0;
      let tls = 0;
      for (const file of files) {
        const path = `${dir}/${file}`;
        const events = await decodeAll(path);
        const v2g = events.filter((e) => e.layer === "v2g");
        const bad = events.filter(
          (e) =>
            e.error && (e.layer === "v2g" || e.layer === "sdp" || e.layer === "slac" || e.layer === "tls"),
        );
        assert.deepEqual(
          bad.map((e) => `${file} #${e.frame} ${e.type}: ${e.error?.message}`),
          [],
          `${file}: undecodable messages`,
        );
        assert.ok(v2g.length > 0, `${file}: no V2G messages`);
        assert.ok(
          events.some((e) => e.layer === "sdp") && events.some((e) => e.layer === "slac"),
          `${file}: SDP and SLAC expected`,
        );
        total += v2g.length;
        tls += v2g.filter((e) => e.tls).length;
        if (tshark)
          assert.equal(
            v2g.length,
            await tsharkV2gtpCount(tshark, path),
            `${file}: V2G message count vs tshark`,
          );
      }
      t.diagnostic(
        `${folder}: ${files.length} files, ${total} V2G messages (${tls} decrypted from TLS)${tshark ? ", all counts equal tshark's" : ""}`,
      );
    },
  );
}

test(
  "captures: the events do not depend on the read chunk size",
  { skip: sharedSkip("captures/dsV2Gshark") },
  async () => {
    const dir = `${capturesDir}dsV2Gshark`;
    for (const file of [
      "ISO-2_DC_PnC_TLS_Contract_DS5366_RiseV2G.pcapng",
      "ISO-20_TLS13_DC_DS5366_Josev.pcapng",
    ]) {
      const a = await decodeAll(`${dir}/${file}`);
      const b = await decodeAll(`${dir}/${file}`, 997);
      assert.deepEqual(
        b.map((e) => [e.frame, e.layer, e.type]),
        a.map((e) => [e.frame, e.layer, e.type]),
      );
    }
  },
);
