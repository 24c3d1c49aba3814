/**
 * `nacs decode … | head` and `nacs encode … | head`: when the reader goes away the command stops quietly
 * with status 0, like Unix tools, instead of an unhandled EPIPE with a stack trace.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { test } from "node:test";

const LINE = "809a004011d018038131a0007400\n"; // DIN SessionSetupReq (EXI hex)

async function readFirstChunkThenClose(
  args: string[],
  input: string,
): Promise<{ code: number | null; err: string }> {
  const child = spawn(process.execPath, ["bin/nacs.js", ...args], { stdio: ["pipe", "pipe", "pipe"] });
  let err = "";
  child.stderr.on("data", (d: Buffer) => {
    err += d.toString();
  });
  child.stdin.on("error", () => {}); // it may stop reading early
  child.stdin.end(input);
  await new Promise<void>((r) => child.stdout.once("data", () => r()));
  child.stdout.destroy(); // the reader leaves, as `head -1` does
  const code = await new Promise<number | null>((r) => child.on("close", (c) => r(c)));
  return { code, err };
}

for (const [what, args, input] of [
  ["decode --schema din", ["decode", "--schema", "din"], LINE.repeat(20_000)],
  [
    "encode --schema din",
    ["encode", "--schema", "din"],
    `${JSON.stringify({ type: "SessionSetupReq", message: { Header: { SessionID: "00" }, Body: { SessionSetupReq: { EVCCID: "00E04C68001D" } } } })}\n`.repeat(
      20_000,
    ),
  ],
] as const) {
  test(`nacs ${what} | head: exit 0, no EPIPE stack trace`, { timeout: 30_000 }, async () => {
    const r = await readFirstChunkThenClose([...args], input);
    assert.doesNotMatch(r.err, /EPIPE|Unhandled|\n\s+at /, r.err);
    assert.equal(r.code, 0, r.err);
  });
}
