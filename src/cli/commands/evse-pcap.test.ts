/**
 * `nacs evse --pcap A` and `nacs ev --pcap B` (loopback, `--no-slac`) each record the session
 * they ran: `nacs decode FILE --json` finds as many V2G messages as the side's JSON `messages`, the SDP
 * exchange and the TCP connection sit on the real ports (the EVSE's listening port from its log), and
 * tshark reads both files without complaint and counts the same V2GTP messages with its own reassembly
 * (skipped with the reason when tshark is missing). TLS: plaintext on the TLS port, marked in the header.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type TestContext, test } from "node:test";
import {
  createCaptureReader,
  decodeLink,
  IPPROTO_TCP,
  IPPROTO_UDP,
  parseIpv6Packet,
  parseTcp,
  parseUdp,
} from "../../capture/index.js";
import { findTshark, tsharkV2gtpCount } from "../../capture/testing/tshark.js";
import { PCAP_TLS_PLAINTEXT_COMMENT } from "../record-pcap.js";
import { spawnNacs, waitForStderr } from "../testing/spawn-nacs.js";

/** UDP (SDP) and TCP port pairs of a capture, read with our reader. */
function ports(file: string): { udp: [number, number][]; tcp: Set<string> } {
  const reader = createCaptureReader();
  const udp: [number, number][] = [];
  const tcp = new Set<string>();
  for (const r of reader.push(readFileSync(file))) {
    if (r.kind !== "packet") continue;
    const ip = parseIpv6Packet(decodeLink(r.linkType, r.data)!.payload);
    if (!ip) continue;
    const u = ip.protocol === IPPROTO_UDP ? parseUdp(ip.payload) : null;
    const t = ip.protocol === IPPROTO_TCP ? parseTcp(ip.payload) : null;
    if (u) udp.push([u.srcPort, u.dstPort]);
    if (t) tcp.add([t.srcPort, t.dstPort].sort((a, b) => a - b).join("-"));
  }
  return { udp, tcp };
}

async function checkFile(t: TestContext, file: string, messages: number, sdpPort: number, seccPort: number) {
  const d = spawnSync(process.execPath, ["bin/nacs.js", "decode", file, "--json", "--no-progress"], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  assert.equal(d.status, 0, d.stderr);
  const lines = d.stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { layer: string; error?: unknown });
  const v2g = lines.filter((l) => l.layer === "v2g");
  assert.equal(v2g.length, messages, `${file}: V2G messages decoded vs the side's JSON "messages"`);
  assert.deepEqual(
    v2g.filter((l) => l.error),
    [],
  );
  const p = ports(file);
  assert.equal(p.udp.length, 2, "one SDP request, one response");
  assert.equal(p.udp[0]![1], sdpPort);
  assert.deepEqual(p.udp[1], [sdpPort, p.udp[0]![0]]);
  assert.equal(p.tcp.size, 1);
  assert.ok([...p.tcp][0]!.split("-").includes(String(seccPort)), `TCP on the SECC port ${seccPort}`);
  const tshark = findTshark();
  if (!tshark) {
    t.diagnostic("tshark not installed: skipping the tshark checks");
    return;
  }
  const ts = spawnSync(
    tshark,
    ["-r", file, "-o", "tcp.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE"],
    {
      encoding: "utf8",
    },
  );
  assert.equal(ts.status, 0, ts.stderr);
  const complaints = ts.stderr.split("\n").filter((l) => l.trim() !== "" && !/Running as user/.test(l));
  assert.deepEqual(complaints, []);
  assert.doesNotMatch(ts.stdout, /Malformed|Bad checksum|incorrect|Previous segment|Retransmission/i);
  assert.equal(await tsharkV2gtpCount(tshark, file), messages, "tshark's own reassembly");
}

async function pcapPair(t: TestContext, extra: string[]) {
  const dir = mkdtempSync(join(tmpdir(), "nacs-pcap-pair-"));
  const [a, b] = [join(dir, "A.pcapng"), join(dir, "B.pcapng")];
  const sdpPort = 20000 + Math.floor(Math.random() * 12000);
  const common = [
    "--iface",
    "lo",
    "--no-slac",
    "--json",
    "--sdp-port",
    String(sdpPort),
    "--time-scale",
    "300",
    "--board",
    `sim:${join(dir, "world.sock")}`,
  ];
  const evse = spawnNacs([
    "evse",
    ...common,
    "--sessions",
    "1",
    "--log-level",
    "info",
    "--pcap",
    a,
    ...extra,
  ]);
  try {
    const ready = await waitForStderr(evse, /evse ready: \w+ on \[[^\]]+\]:(\d+)/, 15_000);
    const ev = spawnNacs(["ev", ...common, "--soc", "50", "--target-soc", "51", "--pcap", b, ...extra]);
    const [evCode, evseCode] = await Promise.all([ev.exit, evse.exit]);
    assert.equal(evCode, 0, ev.err);
    assert.equal(evseCode, 0, evse.err);
    const seccPort = Number(ready[1]);
    const evseJson = JSON.parse(evse.out) as { messages: number };
    const evJson = JSON.parse(ev.out) as { messages: number };
    assert.ok(evseJson.messages > 10);
    await checkFile(t, a, evseJson.messages, sdpPort, seccPort);
    await checkFile(t, b, evJson.messages, sdpPort, seccPort);
    return { a, b };
  } finally {
    evse.child.kill();
  }
}

test(
  "nacs evse/ev --pcap (TCP, DIN DC): both files decode to each side's message count; tshark agrees",
  { timeout: 120_000 },
  async (t) => {
    const { a, b } = await pcapPair(t, ["--protocol", "din"]);
    for (const f of [a, b]) assert.doesNotMatch(readFileSync(f).toString("latin1"), /decrypted by nacs/);
  },
);

test(
  "nacs evse/ev --tls --pcap: decrypted payloads on the TLS port, marked in the section header",
  { timeout: 120_000 },
  async (t) => {
    const pki = mkdtempSync(join(tmpdir(), "nacs-pcap-pki-"));
    try {
      const { a, b } = await pcapPair(t, ["--tls", "--test-pki", pki, "--mode", "ac"]);
      for (const f of [a, b])
        assert.ok(readFileSync(f).toString("latin1").includes(PCAP_TLS_PLAINTEXT_COMMENT));
    } finally {
      rmSync(pki, { recursive: true, force: true });
    }
  },
);

test("nacs evse --pcap into a directory or a missing directory ⇒ exit 2 naming --pcap", () => {
  const dir = mkdtempSync(join(tmpdir(), "nacs-pcap-bad-"));
  try {
    for (const bad of [dir, join(dir, "missing", "x.pcapng")]) {
      const r = spawnSync(
        process.execPath,
        ["bin/nacs.js", "evse", "--iface", "lo", "--no-slac", "--pcap", bad],
        { encoding: "utf8", timeout: 20_000 },
      );
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, /option --pcap: cannot write/);
      assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
