/**
 * Static files of the dashboard app (`dist/dashboard/`): where they are, which file a URL path names (never
 * one outside the app directory), and its content type.
 */
import { existsSync, readFileSync, realpathSync, statSync } from "node:fs";
import { dirname, extname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

/** Content types by file extension (RFC 9239 for JavaScript; the rest as IANA registers them). */
export const CONTENT_TYPES: Readonly<Record<string, string>> = Object.freeze({
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".ico": "image/x-icon",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".wasm": "application/wasm",
  ".txt": "text/plain; charset=utf-8",
  ".ndjson": "application/x-ndjson",
});

/** The content type of a file name (application/octet-stream when unknown). */
export function contentTypeOf(name: string): string {
  return CONTENT_TYPES[extname(name).toLowerCase()] ?? "application/octet-stream";
}

/** The package root: the nearest directory above this module with a package.json named "nacs". */
export function packageRoot(from = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; ) {
    const pj = join(dir, "package.json");
    if (existsSync(pj)) {
      try {
        if ((JSON.parse(readFileSync(pj, "utf8")) as { name?: string }).name === "nacs") return dir;
      } catch {
        // not ours: keep looking
      }
    }
    const up = dirname(dir);
    if (up === dir) return resolve(from, "..", "..", "..");
    dir = up;
  }
}

/** The default app directory: `dist/dashboard/` of the package. */
export function defaultAppDir(): string {
  return join(packageRoot(), "dist", "dashboard");
}

/** The package version (package.json), "0.0.0" when unreadable. */
export function packageVersion(): string {
  try {
    const pj = JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")) as { version?: string };
    return pj.version ?? "0.0.0";
  } catch {
    return "0.0.0";
  }
}

/** Why a URL path names no servable file. */
export type StaticRefusal = "bad-path" | "outside" | "not-found";

/**
 * The file inside `appDir` that URL path `urlPath` (already without the query) names, or why none:
 * percent-decoding that fails or yields NUL / a backslash is `bad-path`; a path that resolves (also through
 * symbolic links) outside `appDir` is `outside` (RFC 3986 §5.2.4 dot segments are removed by the URL parser
 * before this, so this is the second line of defence); a missing file or a directory is `not-found`.
 */
export function resolveStatic(
  appDir: string,
  urlPath: string,
): { ok: true; file: string } | { ok: false; why: StaticRefusal } {
  let rel: string;
  try {
    rel = decodeURIComponent(urlPath);
  } catch {
    return { ok: false, why: "bad-path" };
  }
  if (rel.includes("\0") || rel.includes("\\")) return { ok: false, why: "bad-path" };
  const root = resolve(appDir);
  const file = resolve(root, `.${rel.startsWith("/") ? rel : `/${rel}`}`);
  if (!inside(root, file)) return { ok: false, why: "outside" };
  let real: string;
  try {
    real = realpathSync(file);
    if (!statSync(real).isFile()) return { ok: false, why: "not-found" };
  } catch {
    return { ok: false, why: "not-found" };
  }
  let realRoot: string;
  try {
    realRoot = realpathSync(root);
  } catch {
    return { ok: false, why: "not-found" };
  }
  return inside(realRoot, real) ? { ok: true, file: real } : { ok: false, why: "outside" };
}

function inside(root: string, file: string): boolean {
  const r = relative(root, file);
  return r !== "" && !r.startsWith(`..${sep}`) && r !== ".." && !isAbsolute(r);
}
