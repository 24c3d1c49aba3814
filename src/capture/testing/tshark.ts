/**
 * Test-only: an independent count of V2GTP messages per capture, made by tshark (Wireshark's own TCP
 * reassembly and TLS decryption via `-z follow,tcp|tls,raw,N`), not by our reader. Used by
 * captures.test.ts; skips (returns undefined) when tshark is not installed.
 */
import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** Path of tshark, or undefined when it is not installed. */
export function findTshark(): string | undefined {
  try {
    return execFileSync("sh", ["-c", "command -v tshark"], { encoding: "utf8" }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Count complete V2GTP frames at the start of a byte stream (walking header lengths). */
export function countV2gtpFrames(hex: string): number {
  const b = Buffer.from(hex, "hex");
  let off = 0;
  let n = 0;
  while (off + 8 <= b.length && b[off] === 0x01 && b[off + 1] === 0xfe) {
    const len = b.readUInt32BE(off + 4);
    if (off + 8 + len > b.length) break;
    off += 8 + len;
    n++;
  }
  return n;
}

/** Parse `-z follow,…,raw` output: per stream, the hex of each direction (node 0 unindented, node 1 tabbed). */
function parseFollow(out: string): Map<number, [string, string]> {
  const res = new Map<number, [string, string]>();
  let cur: [string, string] | undefined;
  for (const line of out.split("\n")) {
    const m = /^Filter: tcp\.stream eq (\d+)/.exec(line);
    if (m) {
      cur = ["", ""];
      res.set(Number(m[1]), cur);
      continue;
    }
    if (!cur || line.startsWith("=") || line.startsWith("Node ") || line.startsWith("Follow:")) continue;
    if (line.startsWith("\t")) cur[1] += line.trim();
    else if (/^[0-9a-f]+$/.test(line.trim())) cur[0] += line.trim();
  }
  return res;
}

/** Run tshark; a capture cut short makes it exit non-zero after printing everything it read: keep that. */
async function tsharkOut(tshark: string, args: string[]): Promise<string> {
  try {
    return (await run(tshark, args, { maxBuffer: 256 << 20 })).stdout;
  } catch (e) {
    const x = e as { stdout?: string; stderr?: string };
    if (typeof x.stdout === "string" && /cut short|truncated/i.test(x.stderr ?? "")) return x.stdout;
    throw e;
  }
}

/** Independent V2GTP message count of a capture (plain TCP, and TLS decrypted with disclosed secrets). */
export async function tsharkV2gtpCount(tshark: string, file: string): Promise<number> {
  // one pass: TCP stream numbers with data, and UDP payloads (secret-disclosure datagrams: key-log lines)
  const fields = await tsharkOut(tshark, [
    "-r",
    file,
    "-Y",
    "tcp.len > 0 || (udp && !(udp.port == 15118))",
    "-T",
    "fields",
    "-e",
    "tcp.stream",
    "-e",
    "data.data",
  ]);
  const ids = new Set<number>();
  const lines: string[] = [];
  for (const row of fields.split("\n")) {
    const [stream, data] = row.split("\t");
    if (stream) ids.add(Number(stream));
    else if (data) {
      const l = Buffer.from(data.trim(), "hex").toString("latin1");
      if (/^[A-Z_0-9]+ [0-9a-fA-F]{64} [0-9a-fA-F]+/.test(l)) lines.push(l.replace(/\0+$/, ""));
    }
  }
  if (ids.size === 0) return 0;
  const keylog = join(mkdtempSync(join(tmpdir(), "nacs-tshark-")), "keys.log");
  writeFileSync(keylog, `${lines.join("\n")}\n`);
  const args = ["-r", file, "-q", "-o", `tls.keylog_file:${keylog}`];
  for (const id of ids) args.push("-z", `follow,tcp,raw,${id}`, "-z", `follow,tls,raw,${id}`);
  const out = await tsharkOut(tshark, args);
  const blocks = out.split(/(?=^=+\nFollow: )/m);
  const tcp = parseFollow(blocks.filter((b) => b.includes("Follow: tcp,raw")).join(""));
  const tls = parseFollow(blocks.filter((b) => b.includes("Follow: tls,raw")).join(""));
  let n = 0;
  for (const id of ids) {
    const t = tcp.get(id);
    if (!t) continue;
    const isTls = t[0].startsWith("1603") || t[1].startsWith("1603");
    const dirs = isTls ? tls.get(id) : t;
    if (!dirs) continue;
    n += countV2gtpFrames(dirs[0]) + countV2gtpFrames(dirs[1]);
  }
  return n;
}
