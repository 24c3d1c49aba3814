/**
 * Plug & Charge signatures in the shared captures: every ISO-2 message with a Header/Signature whose
 * referenced elements are in its own body and whose signer's certificate is in the session (decrypted from
 * TLS with the secrets the capture discloses) verifies (XMLDSig over EXI, ISO 15118-2 profile).
 */
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { sharedSkip } from "../../tools/codegen/vectors.js";
import type * as iso2 from "../codecs/iso2/index.js";
import { checkSessionSignatures } from "../v2g/pnc/signed-session.js";
import type { CaptureEvent } from "./decoder.js";
import { decodeCaptureFile } from "./node/file.js";
import { createTlsDecryptor } from "./node/tls-decrypt.js";

const dir = fileURLToPath(new URL("../../../shared/captures/dsV2Gshark/", import.meta.url));

test(
  "captures: every signed ISO-2 message that carries what it signs, with its signer's certificate in the session, verifies",
  { skip: sharedSkip("captures/dsV2Gshark") },
  async (t) => {
    const files = readdirSync(dir)
      .filter((f) => /^ISO-2_.*PnC/.test(f))
      .sort();
    assert.ok(files.length >= 4);
    let verified = 0;
    const kinds = new Set<string>();
    for (const file of files) {
      const events: CaptureEvent[] = [];
      await decodeCaptureFile(`${dir}${file}`, { tls: createTlsDecryptor }, (e) => events.push(e));
      const msgs = events
        .filter((e) => e.layer === "v2g" && e.schema === "iso2" && e.message)
        .map((e) => e.message as iso2.V2G_Message);
      for (const c of checkSessionSignatures(msgs)) {
        const stale =
          !c.result.ok &&
          c.result.error.code === "SIG_REFERENCE" &&
          /no element with that Id/.test(c.result.error.message);
        if (stale) {
          // RISE-V2G repeats the MeteringReceiptReq header (and its Signature) on later requests
          t.diagnostic(
            `${file} #${c.index} ${c.body}: header signature refers to no element of this body, skipped`,
          );
          continue;
        }
        assert.ok(c.keyFrom, `${file} #${c.index} ${c.body}: signer certificate in the session`);
        assert.ok(c.result.ok, `${file} #${c.index} ${c.body}: ${c.result.ok ? "" : c.result.error.message}`);
        verified++;
        kinds.add(c.body);
        t.diagnostic(`verified: ${file} #${c.index} ${c.body} [${c.references.join(",")}] with ${c.keyFrom}`);
      }
    }
    t.diagnostic(
      `${verified} signed messages in ${files.length} captures verify (${[...kinds].sort().join(", ")})`,
    );
    assert.ok(verified >= 10, `the 10 PnC signatures of the dsV2Gshark captures (got ${verified})`);
  },
);
