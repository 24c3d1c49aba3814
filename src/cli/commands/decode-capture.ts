/**
 * `nacs decode FILE.pcap[ng]`: decode a capture — SLAC, SDP and V2G (schema per TCP
 * connection from its supportedAppProtocol handshake; `--schema din|iso2|iso20` for captures that start
 * mid-session) — as a timeline (default), JSON lines (`--json`) or a compliance report (`--check`). TLS
 * sessions are decrypted with `--tls-keylog FILE` (NSS key-log format) and with secrets disclosed in the
 * capture. The file is streamed; progress is shown on a terminal. A damaged file is read past its damage
 * (each skipped stretch is reported); `--check` exits with status 1 when its report has errors. `--check`
 * verifies the ISO 15118-2 Plug & Charge signatures it sees (capture/check-signatures.ts); `--certs PATH`
 * (repeatable) adds certificates and trust anchors for them (decode-certs.ts).
 */
import { existsSync, readFileSync } from "node:fs";
import type { Command } from "commander";
import { z } from "zod";
import { createChecker } from "../../capture/check.js";
import { formatCheckReport } from "../../capture/check-text.js";
import { eventToJson, formatTimelineLine } from "../../capture/format.js";
import { KeyLog } from "../../capture/keylog.js";
import { decodeCaptureFile } from "../../capture/node/file.js";
import { createTlsDecryptor } from "../../capture/node/tls-decrypt.js";
import type { V2gFamily } from "../../capture/v2g-schema.js";
import { parseOptions, UsageError } from "../errors.js";
import { readCertPaths } from "./decode-certs.js";

/** `--schema` values accepted with a FILE (the ISO 15118-20 set names all mean "iso20"). */
const FILE_SCHEMAS = [
  "din",
  "iso2",
  "iso20",
  "iso20-common",
  "iso20-dc",
  "iso20-ac",
  "iso20-acdp",
  "iso20-wpt",
] as const;

/** Options of `nacs decode FILE`. */
export const decodeCaptureOptionsSchema = z.object({
  schema: z.enum(FILE_SCHEMAS).optional(),
  json: z.boolean().default(false),
  check: z.boolean().default(false),
  tlsKeylog: z.string().optional(),
  progress: z.boolean().default(true),
  certs: z.array(z.string().min(1)).optional(),
});
export type DecodeCaptureOptions = z.infer<typeof decodeCaptureOptionsSchema>;

/** Add the FILE-mode options to the `nacs decode` command (called by decode.ts). */
export function addDecodeCaptureOptions(cmd: Command): Command {
  return cmd
    .option("--json", "with FILE: one JSON object per message")
    .option(
      "--check",
      "with FILE: compliance report (order, response times, timeouts, summary, quirks); exit status 1 on errors",
    )
    .option("--tls-keylog <file>", "with FILE: NSS key-log file to decrypt TLS sessions")
    .option(
      "--certs <path>",
      "with --check: PEM/DER certificates or a `nacs pki init` directory (repeatable): trust anchors to validate the signers' chains, and signer certificates the session does not carry",
      (v: string, prev: string[] | undefined) => [...(prev ?? []), v],
    )
    .option("--no-progress", "with FILE: no progress line on stderr");
}

/** Output sink (tests pass their own). */
export interface DecodeCaptureOutput {
  out: (line: string) => void;
  err: (text: string) => void;
  isTty: boolean;
}

let epipeHooked = false;
const defaultOutput: DecodeCaptureOutput = {
  out: (l) => {
    if (!epipeHooked) {
      epipeHooked = true;
      // `nacs decode f.pcap | head`: stop quietly when the reader goes away
      process.stdout.on("error", (e: NodeJS.ErrnoException) => {
        if (e.code === "EPIPE") process.exit(0);
      });
    }
    process.stdout.write(`${l}\n`);
  },
  err: (t) => process.stderr.write(t),
  isTty: Boolean(process.stderr.isTTY),
};

/**
 * Run `nacs decode FILE` with raw commander options. Returns the exit status: 1 when `--check` reports
 * errors (a fault of the session), otherwise 0 (warnings and notes, and damage the reader recovered from,
 * do not fail it).
 */
export async function runDecodeCapture(
  file: string,
  raw: Record<string, unknown>,
  io: DecodeCaptureOutput = defaultOutput,
): Promise<number> {
  const known = Object.fromEntries(
    Object.entries(raw).filter(([k]) =>
      ["schema", "json", "check", "tlsKeylog", "progress", "certs"].includes(k),
    ),
  );
  const opts = parseOptions(decodeCaptureOptionsSchema, known);
  for (const k of ["hex", "format", "fragment"]) {
    if (raw[k] !== undefined)
      throw new UsageError(`option --${k}: not allowed with a FILE (it is for hex input)`, `--${k}`);
  }
  if (!existsSync(file)) throw new UsageError(`argument FILE: "${file}" does not exist`, "FILE");
  if (opts.certs !== undefined && !opts.check)
    throw new UsageError("option --certs: only with --check (it is for the signature check)", "--certs");
  const certificates = opts.certs ? readCertPaths(opts.certs) : [];
  const keyLog = new KeyLog();
  if (opts.tlsKeylog !== undefined) {
    if (!existsSync(opts.tlsKeylog)) {
      throw new UsageError(
        `option --tls-keylog: value "${opts.tlsKeylog}" is not allowed: file does not exist`,
        "--tls-keylog",
      );
    }
    const n = keyLog.add(readFileSync(opts.tlsKeylog, "latin1"));
    if (n === 0) {
      throw new UsageError(
        `option --tls-keylog: value "${opts.tlsKeylog}" is not allowed: no NSS key-log lines (LABEL <64 hex> <hex>) in it`,
        "--tls-keylog",
      );
    }
  }
  const schema: V2gFamily | undefined = opts.schema?.startsWith("iso20")
    ? "iso20"
    : (opts.schema as V2gFamily | undefined);
  const checker = opts.check ? createChecker({ signatures: { certificates } }) : undefined;
  const showProgress = opts.progress && io.isTty;
  let lastProgress = 0;
  const result = await decodeCaptureFile(
    file,
    {
      ...(schema ? { schema } : {}),
      keyLog,
      tls: createTlsDecryptor,
      onProgress: showProgress
        ? (read, total) => {
            const now = Date.now();
            if (now - lastProgress < 200 && read < total) return;
            lastProgress = now;
            io.err(
              `\r${(read / 1e6).toFixed(1)} / ${(total / 1e6).toFixed(1)} MB (${Math.floor((read / total) * 100)} %)`,
            );
          }
        : undefined,
    },
    (e) => {
      if (checker) checker.push(e);
      else io.out(opts.json ? eventToJson(e) : formatTimelineLine(e));
    },
  );
  if (showProgress) io.err("\r\x1b[K");
  const tail = result.truncatedBytes > 0 ? 1 : 0;
  if (result.reader.damaged > tail) {
    io.err(
      `warning: the capture is damaged: ${result.reader.skippedBytes - result.truncatedBytes} bytes in ${result.reader.damaged - tail} places skipped, reading resumed after each (see the CaptureDamage lines)\n`,
    );
  }
  if (result.truncatedBytes > 0) {
    io.err(
      `warning: the capture ends inside a record (${result.truncatedBytes} bytes ignored): file cut short\n`,
    );
  }
  const s = result.decoder;
  if (checker) {
    const report = checker.finish({ startTime: s.startTime });
    if (opts.json) io.out(JSON.stringify(report));
    else for (const l of formatCheckReport(report)) io.out(l);
    return report.counts.errors > 0 ? 1 : 0;
  }
  if (!opts.json) {
    io.out(
      `-- ${s.packets} packets, ${s.v2gMessages} V2G messages (${s.v2gErrors} not decoded), ${s.sdp} SDP, ` +
        `${s.slac} SLAC, ${s.connections} TCP connections (${s.tlsConnections} TLS), ${s.gaps} capture gaps` +
        (s.damaged > 0
          ? `, ${s.damaged} damaged stretches of the file skipped (${s.damagedBytes} bytes)`
          : "") +
        (s.unknownLinkPackets > 0 ? `, ${s.unknownLinkPackets} packets of unsupported link types` : ""),
    );
  }
  return 0;
}
