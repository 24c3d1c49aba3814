import assert from "node:assert/strict";
import { test } from "node:test";
import { AAG_GROUPS, mnbcSoundInd, slacParmCnf, slacParmReq } from "../../../slac/index.js";
import { createPortPair } from "../../../slac/run/index.js";
import { settle, startPair } from "./test-support.js";

const T = { timeout: 10_000 };
const EV_MAC = Uint8Array.of(0x02, 0, 0, 0, 0, 0x0e);
const EVSE_MAC = Uint8Array.of(0x02, 0, 0, 0, 0, 0x05);
const RUN_ID = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8);

test("slac: frames both ways; a CM_MNBC_SOUND.IND carries the attenuation on the EVSE side", T, async () => {
  const pair = createPortPair({ macA: EVSE_MAC, macB: EV_MAC });
  const p = await startPair({
    evse: { slac: pair.a, soundAttenuationDb: 17 },
    ev: { slac: pair.b },
  });
  try {
    const parm = p.evseEvents.next("slac-frame");
    p.ev.perform({ kind: "slac-send", frame: slacParmReq(EV_MAC, RUN_ID) });
    const f1 = await parm;
    assert.equal(f1.frame.mme.kind, "CM_SLAC_PARM.REQ");
    assert.equal(f1.attenuationDb, undefined, "only sounds carry attenuation");
    assert.deepEqual([...f1.frame.src], [...EV_MAC]);

    const sound = p.evseEvents.next("slac-frame");
    p.ev.perform({ kind: "slac-send", frame: mnbcSoundInd(EV_MAC, RUN_ID, 9, new Uint8Array(16)) });
    const f2 = await sound;
    assert.equal(f2.frame.mme.kind, "CM_MNBC_SOUND.IND");
    assert.equal(f2.attenuationDb?.length, AAG_GROUPS);
    assert.ok(f2.attenuationDb?.every((x) => x === 17));

    const cnf = p.evEvents.next("slac-frame");
    p.evse.perform({ kind: "slac-send", frame: slacParmCnf(EVSE_MAC, EV_MAC, RUN_ID) });
    const f3 = await cnf;
    assert.equal(f3.frame.mme.kind, "CM_SLAC_PARM.CNF");
    assert.ok(!("attenuationDb" in f3));

    assert.equal(p.ev.stats.slacSent, 2);
    assert.equal(p.evse.stats.slacReceived, 2);
    const tapped = p.tap.evse.filter((e) => e.kind === "slac").map((e) => e.kind === "slac" && e.dir);
    assert.deepEqual(tapped, ["rx", "rx", "tx"], "the --pcap hook sees SLAC frames");
  } finally {
    await p.close();
  }
});

test("slac: undecodable frames are counted and ignored, never thrown", T, async () => {
  const pair = createPortPair({ macA: EVSE_MAC, macB: EV_MAC });
  const p = await startPair({ evse: { slac: pair.a }, ev: { slac: pair.b } });
  try {
    pair.b.send(Uint8Array.of(1, 2, 3));
    const notHomeplug = new Uint8Array(60);
    notHomeplug[12] = 0x08; // EtherType 0x0800 (IPv4)
    pair.b.send(notHomeplug);
    pair.a.send(new Uint8Array(5));
    await settle(50);
    assert.equal(p.evse.stats.slacUndecodable, 2);
    assert.equal(p.ev.stats.slacUndecodable, 1);
    assert.equal(p.evseEvents.of("slac-frame").length, 0);
    assert.equal(p.evEvents.of("slac-frame").length, 0);
  } finally {
    await p.close();
  }
});

test("slac: no SLAC port → slac-send is dropped and counted", T, async () => {
  const p = await startPair();
  try {
    p.ev.perform({ kind: "slac-send", frame: slacParmReq(EV_MAC, RUN_ID) });
    assert.equal(p.ev.stats.slacDropped, 1);
  } finally {
    await p.close();
  }
});
