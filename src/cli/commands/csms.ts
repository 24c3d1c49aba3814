/**
 * `nacs csms`: a small local CSMS for tests and demos (OCPP 2.0.1 and 1.6J, the station's subprotocol
 * decides; ocpp-rpc strict mode: every message either way checked against the official JSON schemas). It prints its URL on stderr, accepts every
 * station and token, records every message (`--record FILE`, NDJSON), runs a `--script FILE` for each
 * station, takes control lines on stdin (`call ID ACTION {json}`), and on SIGINT / SIGTERM prints its
 * summary (`--json`: one object) and exits.
 */
import { closeSync, openSync, readFileSync, writeSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import type { Command } from "commander";
import { z } from "zod";
import { type CsmsSummary, startCsms } from "../../link/ocpp/csms.js";
import { type CsmsV2gPki, loadCsmsV2gPki } from "../../link/ocpp/csms-certs.js";
import { type CsmsStep, parseCsmsScript } from "../../link/ocpp/csms-script.js";
import { OCPP_TLS_FILES, openOcppTestPki } from "../../link/ocpp/tls-pki.js";
import type { LocalCps } from "../../v2g/pnc/cps.js";
import { ensureDir } from "../ensure-dir.js";
import { parseOptions, UsageError } from "../errors.js";
import { untilStopSignal } from "../stop-signal.js";

/** Options of `nacs csms`. */
export const csmsOptionsSchema = z
  .object({
    port: z.coerce.number().int().min(0).max(65535).default(9220),
    host: z.string().min(1).default("127.0.0.1"),
    heartbeat: z.coerce.number().int().min(1).max(86_400).default(300),
    /** Security profile 1: OCPP 2.0.1 passwords are 16–40 characters (OCPP 2.0.1 SecurityCtrlr.BasicAuthPassword). */
    password: z.string().min(16).max(40).optional(),
    script: z.string().min(1).optional(),
    record: z.string().min(1).optional(),
    json: z.boolean().default(false),
    /** Security profiles 2 and 3: TLS with the test PKI of DIR (created when absent). */
    tlsDir: z.string().min(1).optional(),
    clientCerts: z.boolean().default(false),
    issueStation: z.string().min(1).optional(),
    firstTransactionId: z.coerce.number().int().min(1).max(2_000_000_000).default(1),
    /**
     * The ISO 15118 PKI of a `nacs pki init` DIR: its CPO Sub-CA signs the stations' SECC certificates and
     * answers their OCSP status; its CPS answers the EVs' certificate requests.
     */
    v2gPki: z.string().min(1).optional(),
  })
  .superRefine((o, ctx) => {
    for (const k of ["clientCerts", "issueStation"] as const)
      if (o[k] !== undefined && o[k] !== false && o.tlsDir === undefined)
        ctx.addIssue({ code: "custom", path: [k], message: "needs --tls-dir DIR" });
  });

/** A control line: `call ID ACTION {payload}` → the call; anything else → an error text. */
export function parseControlLine(
  line: string,
): { identity: string; action: string; payload: Record<string, unknown> } | { error: string } {
  const m = /^call\s+(\S+)\s+([A-Za-z0-9]+)\s*(.*)$/.exec(line.trim());
  if (!m) return { error: 'expected "call ID ACTION {json payload}"' };
  try {
    const payload = JSON.parse(m[3] || "{}") as unknown;
    if (typeof payload !== "object" || payload === null || Array.isArray(payload))
      return { error: "the payload must be a JSON object" };
    return { identity: m[1]!, action: m[2]!, payload: payload as Record<string, unknown> };
  } catch (err) {
    return { error: `payload: ${(err as Error).message}` };
  }
}

/** The human summary. */
function formatCsmsSummary(s: CsmsSummary): string {
  const lines = [
    `nacs csms ${s.url}: stations ${s.stations.map((x) => `${x} (${s.protocols[x] ?? "?"})`).join(", ") || "none"}`,
    `  messages      ${
      Object.entries(s.messages)
        .map(([k, v]) => `${k} ${v}`)
        .join(", ") || "none"
    }`,
    `  schema errors ${s.schemaErrors}, bad messages ${s.badMessages}, call errors ${s.callErrors}`,
  ];
  for (const [id, tx] of Object.entries(s.transactions))
    lines.push(
      `  transaction ${id} (${tx.identity}): ${tx.events.map((e) => e.eventType).join(" → ")}; energy ${tx.endedEnergyWh ?? tx.lastEnergyWh ?? "?"} Wh; ${tx.stoppedReason ?? "open"}`,
    );
  return `${lines.join("\n")}\n`;
}

/** Register `nacs csms`. */
export function registerCsmsCommand(program: Command): void {
  program
    .command("csms")
    .description(
      "run a small local OCPP 2.0.1 / 1.6J CSMS for tests and demos (schema-validated, recorded, scriptable)",
    )
    .option("--port <n>", "TCP port, 0 = any free port (default 9220)")
    .option("--host <addr>", "bind address (default 127.0.0.1)")
    .option("--heartbeat <s>", "heartbeat interval given in BootNotificationResponse (default 300)")
    .option(
      "--password <pw>",
      "security profile 1: require HTTP Basic auth with this password (16–40 characters)",
    )
    .option("--script <file>", "JSON list of steps run for each station: {when?, delayMs?, call, payload}")
    .option("--record <file>", "write every message and schema failure here (NDJSON)")
    .option("--json", "on exit, print one JSON summary object")
    .option(
      "--tls-dir <dir>",
      "security profile 2: wss:// with the throwaway test PKI of DIR (created when absent: ocpp-root.pem for the stations' --ocpp-ca)",
    )
    .option(
      "--client-certs",
      "with --tls-dir, security profile 3: require each station's client certificate (CN = its identity; nacs csms --issue-station ID --tls-dir DIR issues one)",
    )
    .option(
      "--first-transaction-id <n>",
      "OCPP 1.6: the first transactionId given in StartTransaction.conf (default 1; a restarted CSMS must not reuse ids)",
    )
    .option("--issue-station <id>", "with --tls-dir: issue station ID's client certificate into DIR and exit")
    .option(
      "--v2g-pki <dir>",
      "a nacs pki init DIR: its CPO Sub-CA 2 signs the stations' V2G (SECC) certificates (SignCertificate → CertificateSigned) and answers GetCertificateStatus with OCSP responses; its CPS answers the EVs' Get15118EVCertificate (1.6: DataTransfer) with DIR's contract",
    )
    .action(async (raw: Record<string, unknown>) => {
      const o = parseOptions(csmsOptionsSchema, raw);
      let script: CsmsStep[] | undefined;
      if (o.script !== undefined) {
        let text: string;
        try {
          text = readFileSync(o.script, "utf8");
        } catch (err) {
          throw new UsageError(
            `option --script: cannot read ${JSON.stringify(o.script)}: ${(err as Error).message}`,
            "--script",
          );
        }
        try {
          script = parseCsmsScript(text, o.script);
        } catch (err) {
          throw new UsageError(`option --script: ${(err as Error).message}`, "--script", { cause: err });
        }
      }
      let fd: number | null = null;
      if (o.record !== undefined) {
        const file = resolve(o.record);
        ensureDir(dirname(file), "--record");
        fd = openSync(file, "w");
      }
      const out = fd;
      const pki = o.tlsDir === undefined ? null : await openOcppTestPki(o.tlsDir);
      if (o.issueStation !== undefined) {
        if (!pki) throw new UsageError("option --issue-station: needs --tls-dir DIR", "--issue-station"); // (schema)
        await pki.station(o.issueStation);
        process.stderr.write(
          `nacs csms: ${join(o.tlsDir ?? "", OCPP_TLS_FILES.stationCert(o.issueStation))} and ${OCPP_TLS_FILES.stationKey(o.issueStation)} written\n`,
        );
        return;
      }
      const v2g = o.v2gPki === undefined ? undefined : await loadV2gPki(o.v2gPki);
      const csms = await startCsms({
        ...(v2g && { v2gPki: v2g.v2gPki, cps: v2g.cps }),
        ...(pki && { tls: { ...pki.csms, caPem: pki.rootPem, clientCerts: o.clientCerts } }),
        port: o.port,
        host: o.host,
        heartbeatIntervalS: o.heartbeat,
        firstTransactionId16: o.firstTransactionId,
        ...(o.password !== undefined && { password: o.password }),
        ...(script && { script }),
        ...(out !== null && { onRecord: (r) => writeSync(out, `${JSON.stringify(r)}\n`) }),
      });
      const rl = process.stdin.readable ? createInterface({ input: process.stdin }) : null;
      rl?.on("line", (line) => {
        if (!line.trim()) return;
        const c = parseControlLine(line);
        if ("error" in c) {
          process.stderr.write(`nacs csms: control line: ${c.error}\n`);
          return;
        }
        csms.call(c.identity, c.action, c.payload).then(
          (res) => process.stderr.write(`nacs csms: ${c.action} → ${JSON.stringify(res)}\n`),
          (err: Error) => process.stderr.write(`nacs csms: ${c.action} failed: ${err.message}\n`),
        );
      });
      await untilStopSignal(() =>
        process.stderr.write(`nacs csms: listening on ${csms.url} (stations connect to ${csms.url}/ID)\n`),
      );
      rl?.close();
      await csms.close();
      if (fd !== null) closeSync(fd);
      const s = csms.summary();
      // the stdin reader and the server's sockets are closed; leave nothing holding the loop — once the
      // summary is written whole (a pipe takes a large one in pieces: exiting earlier would cut it)
      const code = s.schemaErrors > 0 ? 1 : 0;
      process.stdout.write(o.json ? `${JSON.stringify(s)}\n` : formatCsmsSummary(s), () =>
        process.exit(code),
      );
    });
}

/**
 * What the CSMS holds of a `nacs pki init` DIR (`--v2g-pki`): its CPO Sub-CA 2 (the stations' SECC
 * certificates, their OCSP status) and its CPS (the EVs' contracts, with a renewal for CertificateUpdate).
 */
async function loadV2gPki(dir: string): Promise<{ v2gPki: CsmsV2gPki; cps: LocalCps }> {
  const pki = await import("../../link/pki/index.js");
  try {
    return { v2gPki: await loadCsmsV2gPki(dir), cps: await pki.loadLocalCpsWithRenewal(dir) };
  } catch (err) {
    throw new UsageError(
      `option --v2g-pki: ${JSON.stringify(dir)} is not a nacs pki init directory: ${(err as Error).message}`,
      "--v2g-pki",
      { cause: err },
    );
  }
}
