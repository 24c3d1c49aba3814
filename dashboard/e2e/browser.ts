/**
 * Browser helpers for the dashboard's browser tests and measurements: the system Chromium (Debian's
 * `chromium` package; playwright's own browser downloads are not used) driven by playwright-core.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Chromium executables tried, first found wins (`NACS_CHROMIUM` overrides). */
const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

export function chromiumPath(): string | undefined {
  const env = process.env.NACS_CHROMIUM;
  if (env) return existsSync(env) ? env : undefined;
  return CANDIDATES.find((p) => existsSync(p));
}

/** dist/dashboard/<file>. */
export function builtFile(file: string): string {
  return fileURLToPath(new URL(`../../dist/dashboard/${file}`, import.meta.url));
}

/** Why a browser test cannot run here, or false. */
export function browserSkipReason(file = "offline.html"): string | false {
  if (!chromiumPath()) return "no Chromium (apt-get install chromium, or set NACS_CHROMIUM)";
  if (!existsSync(builtFile(file))) return `dist/dashboard/${file} not built (npm run build:dashboard)`;
  return false;
}

export async function launch() {
  const { chromium } = await import("playwright-core");
  return chromium.launch({
    executablePath: chromiumPath()!,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--allow-file-access-from-files"],
  });
}
