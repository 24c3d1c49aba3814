/**
 * `nacs` command-line entry point. Each command lives in its own file under `commands/` and registers
 * itself on the program; see the README for usage.
 */
import { Command } from "commander";
import { registerCommands } from "./commands/index.js";
import { reportError } from "./errors.js";

/** Build the `nacs` program (exported for tests). */
export function buildProgram(): Command {
  const program = new Command();
  program
    .name("nacs")
    .description("SAE J3400 (NACS) charging stack: simulate, inspect and run both sides of the cable")
    .version("0.1.0")
    .exitOverride()
    .showHelpAfterError(false);
  registerCommands(program);
  return program;
}

/** Run the CLI with the given argv (without node and script). Returns the exit code. */
export async function run(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: "user" });
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (err) {
    return reportError(err);
  }
}

/**
 * The reader of our output went away (`nacs decode … | head`): stop quietly with status 0, as Unix tools
 * do, instead of an unhandled EPIPE with a stack trace.
 */
export function exitOnClosedOutput(stream: NodeJS.WriteStream = process.stdout): void {
  stream.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code !== "EPIPE") throw err;
    process.exit(0);
  });
}

const isMain = process.argv[1] && /(?:^|[/\\])(?:main\.(?:ts|js)|nacs(?:\.js)?)$/.test(process.argv[1]);
if (isMain) {
  exitOnClosedOutput();
  run(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
