/**
 * Browser test of the capture viewer: a capture decoded in Chromium (worker, index.html over loopback)
 * shows as many messages and notices as `nacs decode --json` prints lines, TLS included. Skips without
 * Chromium, the build or ../shared/captures.
 */
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { eventToJson } from "../../src/capture/format.js";
import { KeyLog } from "../../src/capture/keylog.js";
import { decodeCaptureFile } from "../../src/capture/node/file.js";
import { createTlsDecryptor } from "../../src/capture/node/tls-decrypt.js";
import { sharedSkip } from "../../tools/codegen/vectors.js";
import { browserSkipReason, launch } from "./browser.js";
import { startFakeHost } from "./fake-host.js";

const DIR = fileURLToPath(new URL("../../../shared/captures/", import.meta.url));
const FILES = [
  `${DIR}EVerest-logfiles/MG__MG4_electric__dinspec-DC.dump`,
  `${DIR}dsV2Gshark/ISO-2_DC_PnC_TLS_Contract_DS5366_RiseV2G.pcapng`,
];
const OUT = fileURLToPath(new URL("../../test-output/", import.meta.url));
const skip =
  browserSkipReason("index.html") ||
  sharedSkip("captures/EVerest-logfiles/MG__MG4_electric__dinspec-DC.dump");

test("capture viewer in Chromium: message count as nacs decode --json, TLS decrypted", { skip }, async () => {
  const host = await startFakeHost('{"t":0,"type":"start"}\n');
  const browser = await launch();
  try {
    const p = await browser.newPage();
    await p.goto(host.url);
    await p.click('[data-testid="tab-capture"]');
    for (const file of FILES) {
      const lines: string[] = [];
      const r = await decodeCaptureFile(file, { keyLog: new KeyLog(), tls: createTlsDecryptor }, (e) =>
        lines.push(eventToJson(e)),
      );
      await p.setInputFiles('[data-testid="capture-file-input"]', file);
      await p.waitForFunction(
        (name) => document.querySelector('[data-testid="capture-summary"]')?.textContent?.startsWith(name),
        file.split("/").pop()!,
        { timeout: 30000 },
      );
      assert.equal(Number(await p.locator('[data-testid="message-count"]').textContent()), lines.length);
      assert.equal(
        Number(await p.locator('[data-testid="v2g-message-count"]').textContent()),
        r.decoder.v2gMessages,
      );
      assert.match(
        (await p.locator('[data-testid="capture-summary"]').textContent()) ?? "",
        /, 0 not decoded/,
      );
      mkdirSync(OUT, { recursive: true });
      await p.screenshot({ path: join(OUT, `dashboard-capture-${FILES.indexOf(file) + 1}.png`) });
    }
  } finally {
    await browser.close();
    host.close();
  }
});
