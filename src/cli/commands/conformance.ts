/**
 * `nacs conformance --sut secc --iface IF`: nacs plays the EV against the charger under test and runs the
 * conformance catalogue (src/conformance), each case a fresh session with a verdict. The tester is our own
 * EV — the EV DC controller on the live EV host, as `nacs ev` runs it — with a test-only interceptor at the
 * wire. `--sut evcc` (nacs as the EVSE, testing a car) is not built yet: it exits 2.
 *
 * SLAC first on `--iface` (a raw socket, as `nacs ev` runs it; `--modem qca` for a QCA7000-family PLC modem),
 * unless `--no-slac`; then SDP on the interface (the SECC is discovered as `nacs ev` discovers it), or `--secc [ADDR]:PORT` when the
 * SECC's address is known (SDP is then answered on this host for it). `--tls` with `--trust ROOT.pem` or
 * `--test-pki DIR`. `--profile FILE`: the SUT profile (its limits, cases to skip). `--cases GLOB` selects
 * cases by ID. `--json` prints the summary, `--report DIR` writes `junit.xml` and `report.html`. Progress
 * per case on stderr. Exit 0 when every selected case passed, 1 when any failed or was inconclusive, 2 on
 * usage errors.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { z } from "zod";
import { CATALOGUE, caseGlob } from "../../conformance/catalogue/index.js";
import { ConformanceError } from "../../conformance/errors.js";
import { defaultProfile, parseProfile } from "../../conformance/profile.js";
import { htmlReport, junitXml, summarize } from "../../conformance/report.js";
import { type CaseResult, type RunnerOptions, runCases } from "../../conformance/runner.js";
import { parseSeccAddress, type SdpResponder, startSdpResponder } from "../../conformance/sdp-responder.js";
import type { ConformanceCase, ConformanceProtocol, SutProfile } from "../../conformance/types.js";
import { dcBatteryConfig, EV_DEFAULT_OBC } from "../../ev/dc/index.js";
import { powerModuleConfig } from "../../evse/dc/index.js";
import { LOG_LEVELS, stderrLogger } from "../../link/host/cli-support.js";
import type { LinkLogger } from "../../link/logger.js";
import { SDP_SERVER_PORT } from "../../v2g/index.js";
import { parseOptions, UsageError } from "../errors.js";
import { openBoard } from "../live/board.js";
import { slacLink } from "../live/slac-link.js";
import { evTlsConfig } from "./tls-options.js";

/** Options of `nacs conformance`. */
export const conformanceOptionsSchema = z
  .object({
    sut: z.enum(["secc", "evcc"], { error: 'required: "secc" (test a charger) or "evcc" (test a car)' }),
    iface: z.string({ error: "required: the network interface, e.g. lo or eth1" }).min(1),
    protocol: z
      .string()
      .transform((s) => s.split(",").map((x) => x.trim()))
      .pipe(
        z
          .array(z.enum(["din", "iso2"], { error: 'each protocol must be "din" or "iso2" (iso20: not yet)' }))
          .min(1),
      )
      .optional(),
    cases: z.string().min(1).optional(),
    report: z.string().min(1).optional(),
    profile: z.string().min(1).optional(),
    json: z.boolean().default(false),
    list: z.boolean().default(false),
    tls: z.boolean().default(false),
    trust: z.string().min(1).optional(),
    testPki: z.string().min(1).optional(),
    tlsKeylog: z.string().min(1).optional(),
    slac: z.boolean().default(true),
    modem: z
      .enum(["none", "qca"], {
        error: 'must be "none" (plain Ethernet, veth) or "qca" (QCA7000-family PLC modem)',
      })
      .default("none"),
    secc: z.string().min(1).optional(),
    sdpPort: z.coerce.number().int().min(1).max(65535).default(SDP_SERVER_PORT),
    board: z.string().min(1).default("sim"),
    // the tester EV's own warnings (a session the SECC ended) are what the cases provoke: errors only by default
    logLevel: z.enum(LOG_LEVELS).default("error"),
  })
  .superRefine((o, ctx) => {
    if (o.tls && !o.trust && !o.testPki)
      ctx.addIssue({
        code: "custom",
        path: ["tls"],
        message: "--tls needs --trust ROOT.pem or --test-pki DIR",
      });
    if (o.secc !== undefined) {
      try {
        parseSeccAddress(o.secc);
      } catch (e) {
        ctx.addIssue({ code: "custom", path: ["secc"], message: (e as Error).message });
      }
    }
    if (!o.slac && o.modem === "qca")
      ctx.addIssue({
        code: "custom",
        path: ["modem"],
        message: "--modem qca drives the modem's SLAC keys: it needs SLAC (drop --no-slac)",
      });
  });

/** Validated options of `nacs conformance`. */
export type ConformanceOptions = z.infer<typeof conformanceOptionsSchema>;

/** Validate raw options (UsageError naming the option, the value and the rule). */
export function parseConformanceOptions(raw: Record<string, unknown>): ConformanceOptions {
  return parseOptions(conformanceOptionsSchema, raw);
}

/** The profile of `--profile FILE`, or the standard's. */
function loadProfile(path: string | undefined): SutProfile {
  if (path === undefined) return defaultProfile();
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new UsageError(`option --profile ${path}: ${(e as Error).message}`, "--profile", { cause: e });
  }
  try {
    return parseProfile(text, path);
  } catch (e) {
    throw new UsageError(`option --profile ${path}: ${(e as Error).message}`, "--profile", { cause: e });
  }
}

/** The cases `--cases`, `--protocol`, `--tls` and the profile select (skipped ones with their reason). */
export function selectCases(
  o: Pick<ConformanceOptions, "cases" | "protocol" | "tls">,
  profile: SutProfile,
): { run: ConformanceCase[]; protocols: ConformanceProtocol[]; skipped: { id: string; why: string }[] } {
  const protocols = (o.protocol ?? profile.protocols).filter((p) => profile.protocols.includes(p));
  const pick = o.cases ? caseGlob(o.cases) : () => true;
  const skipped: { id: string; why: string }[] = [];
  const run = CATALOGUE.filter((c) => {
    if (c.sut !== "secc" || !pick(c.id) || !c.protocols.some((p) => protocols.includes(p))) return false;
    const why =
      profile.skip[c.id] ??
      (c.transport && c.transport !== (o.tls ? "tls" : "tcp") ? `needs ${c.transport}` : undefined);
    if (why) skipped.push({ id: c.id, why });
    return !why;
  });
  return { run, protocols, skipped };
}

/** One progress line on stderr. */
function progressLine(r: CaseResult, i: number, total: number): string {
  const v = r.verdict;
  const why =
    v.verdict === "fail"
      ? `: ${v.rule}: ${v.field}: expected ${v.expected}, seen ${v.seen}`
      : v.verdict === "inconclusive"
        ? `: ${v.why}`
        : "";
  return `nacs conformance: [${i + 1}/${total}] ${r.id} ${v.verdict.toUpperCase()} (${(r.durationMs / 1000).toFixed(1)} s)${why}\n`;
}

/**
 * The tester EV's board for one case (`--board`: a fresh plug-in of the simulated cable, or the real EV
 * board), as `nacs ev` opens it: an 800 V pack at 50 %.
 */
export function testerBoardOpener(spec: string, log: LinkLogger): RunnerOptions["openBoard"] {
  const battery = dcBatteryConfig("800v", 75);
  return async () => {
    const b = await openBoard(
      "ev",
      spec,
      {
        module: powerModuleConfig(),
        battery,
        socPercent: 50,
        seed: null,
        energyTimeScale: 1,
        obcMaxCurrentA: EV_DEFAULT_OBC.maxCurrentA,
      },
      log,
    );
    return {
      port: b.port,
      close: async () => {
        if (b.world?.cable.plugged) b.world.unplug();
        await b.close();
      },
    };
  };
}

/** Run `nacs conformance`; resolves with the exit code. */
export async function runConformance(o: ConformanceOptions): Promise<number> {
  if (o.sut === "evcc") {
    process.stderr.write(
      "nacs conformance: option --sut evcc: not yet (only the SECC-under-test half is built)\n",
    );
    return 2;
  }
  const profile = loadProfile(o.profile);
  const selected = selectCases(o, profile);
  const { protocols, skipped } = selected;
  // with --secc the tester answers SDP itself: the SDP cases would test that, not the SUT; without SLAC
  // there is nothing for the SLAC cases to deviate in
  const run = selected.run.filter((c) => {
    const why =
      o.secc !== undefined && c.group === "sdp"
        ? "--secc: SDP is answered on this host, not by the SUT"
        : !o.slac && c.group === "slac"
          ? "--no-slac: a SLAC case needs SLAC on the interface"
          : undefined;
    if (why) skipped.push({ id: c.id, why });
    return !why;
  });
  if (o.list) {
    for (const c of selected.run)
      process.stdout.write(`${c.id}\t${c.protocols.join(",")}\t${c.requirement.join("; ")}\t${c.title}\n`);
    return 0;
  }
  if (run.length === 0)
    throw new UsageError(
      `option --cases ${o.cases ?? "(all)"}: selects no case${skipped.length ? ` to run (${skipped[0]?.why})` : ""}`,
      "--cases",
    );
  for (const s of skipped) process.stderr.write(`nacs conformance: ${s.id} skipped: ${s.why}\n`);
  const log = stderrLogger(o.logLevel, "conformance");
  const tls = await evTlsConfig({ ...o, tlsVersion: "1.2" } as Parameters<typeof evTlsConfig>[0]);
  const { slac, mac, close: closeSlac } = slacLink(o, null);
  let responder: SdpResponder | null = null;
  if (o.secc !== undefined) {
    try {
      responder = await startSdpResponder(parseSeccAddress(o.secc), o.tls);
    } catch (e) {
      if (e instanceof ConformanceError) throw new UsageError(e.message, "--secc", { cause: e });
      throw e;
    }
  }
  const t0 = performance.now();
  let results: CaseResult[];
  try {
    results = await runCases(
      run,
      protocols,
      {
        iface: o.iface,
        slac,
        mac,
        modem: o.modem,
        limits: profile.limits,
        ...(responder
          ? { sdpTarget: responder.address, sdpServerPort: responder.port }
          : { sdpServerPort: o.sdpPort }),
        ...(tls && { tls }),
        logger: log,
        openBoard: testerBoardOpener(o.board, log),
      },
      (r, i, total) => process.stderr.write(progressLine(r, i, total)),
    );
  } finally {
    await responder?.close();
    closeSlac();
  }
  const summary = summarize(results, profile.name, performance.now() - t0);
  if (o.report) {
    mkdirSync(o.report, { recursive: true });
    writeFileSync(join(o.report, "junit.xml"), junitXml(results));
    writeFileSync(join(o.report, "report.html"), htmlReport(results, summary));
  }
  process.stdout.write(
    o.json
      ? `${JSON.stringify(summary)}\n`
      : `${summary.total} cases: ${summary.passed} passed, ${summary.failed} failed, ${summary.inconclusive} inconclusive (${(summary.durationMs / 1000).toFixed(1)} s)\n`,
  );
  return summary.passed === summary.total ? 0 : 1;
}

/** Register `nacs conformance`. */
export function registerConformanceCommand(program: Command): void {
  program
    .command("conformance")
    .description(
      "run the conformance catalogue against a charger (--sut secc): nacs plays the EV, a verdict per case",
    )
    .option(
      "--sut <role>",
      "the system under test: secc (a charger; nacs is the EV) or evcc (a car; not yet)",
    )
    .option("--iface <name>", "network interface to the SUT (lo: loopback, SDP to ::1)")
    .option("--protocol <list>", "din,iso2 (default: the profile's, else both)")
    .option("--cases <glob>", "case IDs to run, e.g. 'secc-din-*' or 'secc-*-timing-*,secc-iso2-seq-00?'")
    .option("--profile <file>", "SUT profile (JSON or YAML): name, protocols, limits, skip {id: reason}")
    .option("--report <dir>", "write junit.xml and report.html into DIR")
    .option("--json", "print the summary as one JSON object")
    .option("--list", "list the selected cases (ID, protocols, requirement, title) and exit")
    .option("--tls", "connect with TLS (needs --trust ROOT.pem or --test-pki DIR)")
    .option("--trust <file>", "V2G root certificate(s) to trust (PEM)")
    .option("--test-pki <dir>", "trust DIR/v2g-root.pem of the charger's --test-pki DIR")
    .option("--tls-keylog <file>", "append TLS secrets (NSS key log) for Wireshark")
    .option(
      "--no-slac",
      "skip SLAC (the PLC link is set up, or loopback); the SLAC cases (secc-slac-*) are then skipped",
    )
    .option("--modem <model>", "PLC modem on --iface with SLAC: none (plain Ethernet, veth; default) or qca")
    .option(
      "--secc <[addr]:port>",
      "the SECC's V2G address and port: skip discovery (SDP is answered locally)",
    )
    .option("--sdp-port <n>", "UDP port of the SECC's SDP server (default 15118)")
    .option(
      "--board <spec>",
      "the tester EV's board: sim[:SOCKET] (default, shared with nacs evse), serial:DEV, tcp:HOST:PORT, …",
    )
    .option("--log-level <level>", "pino log level on stderr (default error)")
    .action(async (raw: Record<string, unknown>) => {
      process.exitCode = await runConformance(parseConformanceOptions(raw));
    });
}
