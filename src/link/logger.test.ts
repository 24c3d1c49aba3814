import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { test } from "node:test";
import { pino } from "pino";
import type { LinkLogger } from "./logger.js";
import { createMemoryLink } from "./memory.js";

test("a pino logger satisfies LinkLogger and receives the protocol-error reason", async () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  const logger: LinkLogger = pino({ level: "debug" }, sink);
  const [a, b] = createMemoryLink({ peerOptions: { logger } });
  a.sendRaw(Uint8Array.of(0x01, 0xfe, 0x12, 0x34, 0, 0, 0, 0));
  assert.equal((await b.closed).code, "protocol-error");
  const warn = lines
    .map((l) => JSON.parse(l) as { level: number; code?: string; msg: string })
    .find((l) => l.level === 40);
  assert.equal(warn?.code, "unknown-payload-type");
  assert.match(warn?.msg ?? "", /closing connection/);
});
