/**
 * Replay of real sessions: for each plaintext V2GTP conversation in
 * ../shared/captures/EVerest-logfiles, (1) the car's requests go to our SECC in order and every response
 * must be of the right type, decode, and be OK wherever the EVerest charger's was OK; (2) the charger's
 * responses go to our EVCC and every request our EVCC sends next must decode and be allowed by the sequence
 * table. The rules of an honest replay are in testing/replay-secc.ts and testing/replay-evcc.ts.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { sharedSkip } from "../../../tools/codegen/vectors.js";
import type { SeccState } from "./secc-state.js";
import { replayToEvcc } from "./testing/replay-evcc.js";
import { replayToSecc } from "./testing/replay-secc.js";
import { v2gConversations } from "./testing/tcp-streams.js";

const dir = fileURLToPath(new URL("../../../../shared/captures/EVerest-logfiles/", import.meta.url));

test(
  "replay: car requests → our SECC, charger responses → our EVCC (EVerest-logfiles)",
  { skip: sharedSkip("captures/EVerest-logfiles") },
  (t) => {
    assert.ok(existsSync(dir), `missing ${dir} — the shared reference material must be next to the repo`);
    const files = readdirSync(dir).sort();
    assert.ok(files.length > 0);
    let totalReq = 0;
    let totalFed = 0;
    let conversations = 0;
    const seccDiffs: string[] = [];
    const evccStalls: string[] = [];
    for (const f of files) {
      const convs = v2gConversations(dir + f);
      assert.ok(convs.length > 0, `${f}: no V2GTP conversation`);
      let secc: SeccState | undefined;
      const ids = new Map<string, Uint8Array>();
      const rows: string[] = [];
      for (const c of convs) {
        conversations++;
        const { res, state } = replayToSecc(c, secc, ids);
        secc = state;
        // allowed differences: the charger answered FAILED where we answer OK (e.g. EVerest's SessionStop FAILED)
        const real = res.problems.filter((p) => !/charger \w+ FAILED/.test(p));
        assert.deepEqual(real, [], `${f}: SECC replay problems`);
        for (const p of res.problems) seccDiffs.push(`${f.slice(0, 30)}: ${p}`);
        assert.ok(res.requests >= 1);
        totalReq += res.requests;
        const ev = replayToEvcc(c);
        assert.deepEqual(ev.problems, [], `${f}: EVCC replay problems`);
        if (res.protocol !== "none")
          assert.ok(ev.fed >= 1 && ev.requestsValid >= 1, `${f}: EVCC replay fed nothing`);
        totalFed += ev.fed;
        if (ev.skipped > 20)
          evccStalls.push(
            `${f.slice(0, 30)}: ours stayed at ${ev.lastRequest} (${ev.skipped} charger responses skipped)`,
          );
        rows.push(
          `${res.protocol} SECC ${res.matched}/${res.requests} (end ${res.endReason}) EVCC fed ${ev.fed} valid ${ev.requestsValid} skipped ${ev.skipped}`,
        );
      }
      t.diagnostic(`${f}: ${rows.join(" | ")}`);
    }
    t.diagnostic(
      `total: ${conversations} conversations, ${totalReq} car requests replayed to our SECC, ${totalFed} charger responses fed to our EVCC`,
    );
    for (const d of seccDiffs) t.diagnostic(`SECC differs from EVerest (ours OK): ${d}`);
    for (const d of evccStalls) t.diagnostic(`EVCC stricter than the car: ${d}`);
  },
);
