/**
 * `nacs conformance --sut secc --iface IF`: nacs plays the EV against the charger under test and runs the
 * conformance catalogue (src/conformance), each case a fresh session with a verdict. The tester is our own
 * EV — the EV controller on the live EV host, DC or AC, as `nacs ev` runs it (`--mode`, and for ISO
 * 15118-20 `--service`/`--control` as the case says) — with a test-only interceptor at the wire. `--sut
 * evcc` (nacs as the EVSE, testing a car): conformance-evcc.ts — our EVSE with an interceptor on its
 * responses, hosting the cable (`--board sim:SOCKET`) and plugging the car in per case.
 *
 * `--protocol din,iso2,iso20`: ISO 15118-20 runs on TLS 1.3 with `--tls` (the run makes a throwaway vehicle
 * certificate of an unknown root for the case that must be refused), or on plain TCP when the SUT allows it.
 * The profile names the energy transfers (`energy`) and -20 services and control modes (`iso20`) the SUT
 * offers; the cases needing others are skipped with the reason. Without a profile file, `--protocol` says
 * which protocols the SUT offers.
 *
 * SLAC first on `--iface` (a raw socket, as `nacs ev` runs it; `--modem qca` for a QCA7000-family PLC modem),
 * unless `--no-slac`; then SDP on the interface (the SECC is discovered as `nacs ev` discovers it), or `--secc [ADDR]:PORT` when the
 * SECC's address is known (SDP is then answered on this host for it). `--tls` with `--trust ROOT.pem` or
 * `--test-pki DIR`. `--profile FILE`: the SUT profile (its limits, cases to skip). `--cases GLOB` selects
 * cases by ID. `--json` prints the summary, `--report DIR` writes `junit.xml`, `report.html` (with the
 * timing chart and the pcapng of each case embedded) and `cases/<ID>.pcapng`. Progress
 * per case on stderr. Exit 0 when every selected case passed, 1 when any failed or was inconclusive, 2 on
 * usage errors.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Command } from "commander";
import { z } from "zod";
import { unofferedBy } from "../../conformance/case-ev.js";
import { CATALOGUE, caseGlob } from "../../conformance/catalogue/index.js";
import { ConformanceError } from "../../conformance/errors.js";
import { defaultProfile, parseProfile } from "../../conformance/profile.js";
import { casePcapName, htmlReport, junitXml, summarize } from "../../conformance/report.js";
import { type CaseResult, type RunnerOptions, runCases } from "../../conformance/runner.js";
import { parseSeccAddress, type SdpResponder, startSdpResponder } from "../../conformance/sdp-responder.js";
import type { ConformanceCase, ConformanceProtocol, SutProfile } from "../../conformance/types.js";
import { dcBatteryConfig, EV_DEFAULT_OBC } from "../../ev/dc/index.js";
import { powerModuleConfig } from "../../evse/dc/index.js";
import { LOG_LEVELS, stderrLogger, testPki20 } from "../../link/host/cli-support.js";
import type { LinkLogger } from "../../link/logger.js";
import type { TlsClientConfig } from "../../link/tls.js";
import { SDP_SERVER_PORT } from "../../v2g/index.js";
import { parseOptions, UsageError } from "../errors.js";
import { openBoard } from "../live/board.js";
import { slacLink } from "../live/slac-link.js";
import { runConformanceEvcc } from "./conformance-evcc.js";
import { casePcapng } from "./conformance-pcap.js";
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
          .array(
            z.enum(["din", "iso2", "iso20"], { error: 'each protocol must be "din", "iso2" or "iso20"' }),
          )
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
    if (o.secc !== undefined && o.sut === "evcc")
      ctx.addIssue({
        code: "custom",
        path: ["secc"],
        message: "only with --sut secc (with --sut evcc nacs is the SECC)",
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
  o: Pick<ConformanceOptions, "cases" | "protocol" | "tls"> & { sut?: ConformanceOptions["sut"] },
  profile: SutProfile,
): { run: ConformanceCase[]; protocols: ConformanceProtocol[]; skipped: { id: string; why: string }[] } {
  const protocols = (o.protocol ?? profile.protocols).filter((p) => profile.protocols.includes(p));
  const pick = o.cases ? caseGlob(o.cases) : () => true;
  const skipped: { id: string; why: string }[] = [];
  const run = CATALOGUE.filter((c) => {
    if (c.sut !== (o.sut ?? "secc") || !pick(c.id) || !c.protocols.some((p) => protocols.includes(p)))
      return false;
    const why =
      profile.skip[c.id] ??
      (c.transport && c.transport !== (o.tls ? "tls" : "tcp") ? `needs ${c.transport}` : undefined) ??
      c.protocols
        .filter((p) => protocols.includes(p))
        .map((p) => unofferedBy(c, profile, p))
        .find((w) => w !== null) ??
      undefined;
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

/**
 * The run's TLS 1.3 client configuration with a vehicle certificate the SUT cannot know: the vehicle chain of
 * a throwaway ISO 15118-20 test PKI (its own OEM and V2G roots), made in a temporary directory and removed.
 */
async function untrustedVehicle(tls: TlsClientConfig): Promise<TlsClientConfig> {
  const dir = mkdtempSync(join(tmpdir(), "nacs-conformance-untrusted-"));
  try {
    const p = await testPki20(dir, true);
    return { ...tls, versions: ["1.3"], cert: p.vehicleCert, key: p.vehicleKey };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Run `nacs conformance`; resolves with the exit code. */
export async function runConformance(o: ConformanceOptions): Promise<number> {
  // without a profile file, `--protocol` says what the SUT offers (the standard's limits otherwise)
  const profile = { ...loadProfile(o.profile), ...(!o.profile && o.protocol && { protocols: o.protocol }) };
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
  if (o.sut === "evcc") {
    const r = await runConformanceEvcc(o, run, protocols, profile.limits, log, (r, i, total) =>
      process.stderr.write(progressLine(r, i, total)),
    );
    return finishRun(o, r.results, profile, r.durationMs, "evcc");
  }
  // ISO 15118-20 runs on TLS 1.3 ([V2G20-2359]), DIN 70121 / ISO 15118-2 on TLS 1.2
  const tlsVersion = protocols.includes("iso20") ? (protocols.length > 1 ? "both" : "1.3") : "1.2";
  const tls = await evTlsConfig({ ...o, tlsVersion } as Parameters<typeof evTlsConfig>[0]);
  const untrustedVehicleTls =
    tls && run.some((c) => c.tlsCredential === "untrusted-vehicle") ? await untrustedVehicle(tls) : undefined;
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
        energy: profile.energy?.[0] ?? "dc",
        ...(responder
          ? { sdpTarget: responder.address, sdpServerPort: responder.port }
          : { sdpServerPort: o.sdpPort }),
        ...(tls && { tls }),
        ...(untrustedVehicleTls && { untrustedVehicleTls }),
        logger: log,
        openBoard: testerBoardOpener(o.board, log),
      },
      (r, i, total) => process.stderr.write(progressLine(r, i, total)),
    );
  } finally {
    await responder?.close();
    closeSlac();
  }
  return finishRun(o, results, profile, performance.now() - t0, "secc");
}

/** Write the reports, print the summary; the exit code. */
function finishRun(
  o: ConformanceOptions,
  results: CaseResult[],
  profile: SutProfile,
  durationMs: number,
  sut: "secc" | "evcc",
): number {
  const summary = summarize(results, profile.name, durationMs, sut);
  if (o.report) {
    mkdirSync(join(o.report, "cases"), { recursive: true });
    writeFileSync(join(o.report, "junit.xml"), junitXml(results));
    const pcaps = new Map<CaseResult, Uint8Array>();
    for (const r of results) {
      // the tester is the other side of the cable
      const pcap = casePcapng(r, { role: sut === "secc" ? "ev" : "evse", iface: o.iface, tls: o.tls });
      if (!pcap) continue;
      pcaps.set(r, pcap);
      writeFileSync(join(o.report, "cases", casePcapName(r)), pcap);
    }
    writeFileSync(
      join(o.report, "report.html"),
      htmlReport(results, summary, { limits: profile.limits, pcapOf: (r) => pcaps.get(r) }),
    );
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
      "run the conformance catalogue against a charger (--sut secc: nacs plays the EV) or a car (--sut evcc: nacs plays the EVSE), a verdict per case",
    )
    .option(
      "--sut <role>",
      "the system under test: secc (a charger; nacs is the EV) or evcc (a car; nacs is the EVSE and hosts the cable)",
    )
    .option("--iface <name>", "network interface to the SUT (lo: loopback, SDP to ::1)")
    .option("--protocol <list>", "din,iso2,iso20 (default: the profile's, else din,iso2)")
    .option(
      "--cases <glob>",
      "case IDs to run, e.g. 'secc-din-*' or 'secc-*-timing-*,secc-iso2-seq-00?' ('evcc-…' with --sut evcc)",
    )
    .option("--profile <file>", "SUT profile (JSON or YAML): name, protocols, limits, skip {id: reason}")
    .option("--report <dir>", "write junit.xml, report.html and cases/<ID>.pcapng into DIR")
    .option("--json", "print the summary as one JSON object")
    .option("--list", "list the selected cases (ID, protocols, requirement, title) and exit")
    .option(
      "--tls",
      "connect with TLS (needs --trust ROOT.pem or --test-pki DIR); --sut evcc: serve DIR's SECC certificate (--test-pki DIR)",
    )
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
      "the tester's board: sim[:SOCKET] (default, shared with nacs evse / nacs ev; --sut evcc hosts it: start the car after), serial:DEV, tcp:HOST:PORT, …",
    )
    .option("--log-level <level>", "pino log level on stderr (default error)")
    .action(async (raw: Record<string, unknown>) => {
      process.exitCode = await runConformance(parseConformanceOptions(raw));
    });
}
