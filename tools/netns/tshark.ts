/**
 * Wireshark's dissector as an independent judge of our frames: tshark lists each
 * frame's protocol stack and MMTYPE, finds malformed-packet marks, and gives every HomePlug AV field's
 * byte offset and size (PDML), so our frames can be compared field by field with real captures
 * (EVerest log files in shared/captures). tshark is Debian's `tshark` package.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

/** Path of tshark, or undefined. */
export function findTshark(): string | undefined {
  return ["/usr/bin/tshark", "/usr/local/bin/tshark", "/usr/sbin/tshark"].find((p) => existsSync(p));
}

function tshark(args: string[]): string {
  return execFileSync(findTshark() ?? "tshark", args, {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    maxBuffer: 256 * 1024 * 1024,
  });
}

/** One frame as tshark sees it. */
export interface TsharkFrame {
  number: number;
  length: number;
  /** e.g. "eth:ethertype:homeplug-av". */
  protocols: string;
  /** HomePlug AV MMTYPE, when dissected. */
  mmtype?: number;
}

/** Every frame of a capture: number, length, protocol stack, MMTYPE. */
export function tsharkFrames(file: string): TsharkFrame[] {
  const out = tshark([
    "-r",
    file,
    "-T",
    "fields",
    "-e",
    "frame.number",
    "-e",
    "frame.len",
    "-e",
    "frame.protocols",
    "-e",
    "homeplug_av.mmhdr.mmtype",
  ]);
  return out
    .split("\n")
    .filter((l) => l.trim().length > 0)
    .map((l) => {
      const [n, len, protocols, mmtype] = l.split("\t");
      return {
        number: Number(n),
        length: Number(len),
        protocols: protocols ?? "",
        ...(mmtype ? { mmtype: Number.parseInt(mmtype, 16) } : {}),
      };
    });
}

/** Summary lines of frames tshark marks malformed (`_ws.malformed`); empty when none. */
export function tsharkMalformed(file: string): string[] {
  return tshark(["-r", file, "-Y", "_ws.malformed"])
    .split("\n")
    .filter((l) => l.trim().length > 0);
}

/** One dissected HomePlug AV field: name, byte offset in the frame, size. */
export interface DissectedField {
  name: string;
  pos: number;
  size: number;
}

/** A frame's HomePlug AV layout: its MMTYPE, length and fields. */
export interface FrameLayout {
  mmtype: number;
  length: number;
  fields: DissectedField[];
}

const attr = (tag: string, name: string): string | undefined => {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return m?.[1];
};

/** HomePlug AV field layouts of every frame that tshark dissects as homeplug-av (from PDML). */
export function tsharkLayouts(file: string): FrameLayout[] {
  const pdml = tshark(["-r", file, "-Y", "homeplug-av", "-T", "pdml"]);
  const out: FrameLayout[] = [];
  for (const packet of pdml.split("<packet>").slice(1)) {
    const start = packet.indexOf('<proto name="homeplug-av"');
    if (start < 0) continue;
    const len = Number(attr(/<field name="frame\.len"[^>]*>/.exec(packet)?.[0] ?? "", "show") ?? Number.NaN);
    const fields: DissectedField[] = [];
    let mmtype = -1;
    for (const m of packet.slice(start).matchAll(/<field\s[^>]*>/g)) {
      const tag = m[0];
      const name = attr(tag, "name") ?? "";
      if (!name.startsWith("homeplug_av.")) continue;
      const pos = Number(attr(tag, "pos"));
      const size = Number(attr(tag, "size"));
      if (name === "homeplug_av.mmhdr.mmtype") mmtype = Number.parseInt(attr(tag, "value") ?? "", 16);
      fields.push({ name, pos, size });
    }
    // PDML shows the 2-byte MMTYPE as its little-endian bytes ("6560" for 0x6065)
    if (mmtype >= 0) mmtype = ((mmtype & 0xff) << 8) | (mmtype >> 8);
    out.push({ mmtype, length: len, fields });
  }
  return out;
}

/** A layout as one comparable string: "name@pos+size …". */
export function layoutKey(l: FrameLayout): string {
  return l.fields.map((f) => `${f.name}@${f.pos}+${f.size}`).join(" ");
}
