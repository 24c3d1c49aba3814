/**
 * Lazy loader of the N-API addon `nacs_raw` (native/raw_packet.c, built by `npm ci` through
 * native/build.mjs into build/Release/nacs_raw.node). Nothing is loaded until raw Ethernet is first used,
 * so the rest of nacs works where the addon could not be built; then a {@link RawEthernetError}
 * "unsupported-platform" or "addon-not-built" explains why. `NACS_RAW_ADDON` may name the .node file.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { RawEthernetError } from "./errors.js";

/** Interface facts the addon reports. */
export interface AddonInterfaceInfo {
  ifindex: number;
  mac: Uint8Array;
  mtu: number;
}

/** The addon's functions (see the comment at the top of native/raw_packet.c). */
export interface RawAddon {
  open(
    ifname: string,
    etherType: number,
    onFrame: (frame: Uint8Array, outgoing: boolean) => void,
  ): AddonInterfaceInfo & { handle: unknown };
  send(handle: unknown, frame: Uint8Array): number;
  close(handle: unknown): void;
  ref(handle: unknown): void;
  unref(handle: unknown): void;
  interfaceInfo(ifname: string): AddonInterfaceInfo;
}

/** File name of the built addon under the package root. */
export const RAW_ADDON_RELATIVE_PATH = join("build", "Release", "nacs_raw.node");

let cached: RawAddon | undefined;

/** Where the addon would be: NACS_RAW_ADDON, else build/Release/nacs_raw.node in the nearest package root above this file. */
export function rawAddonPath(): string {
  const fromEnv = process.env.NACS_RAW_ADDON;
  if (fromEnv) return fromEnv;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    if (existsSync(join(dir, "binding.gyp")) || existsSync(join(dir, RAW_ADDON_RELATIVE_PATH))) {
      return join(dir, RAW_ADDON_RELATIVE_PATH);
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return join(process.cwd(), RAW_ADDON_RELATIVE_PATH);
}

/** Load (once) and return the addon; throws {@link RawEthernetError} when it cannot be had. */
export function loadRawAddon(): RawAddon {
  if (cached) return cached;
  if (process.platform !== "linux") {
    throw new RawEthernetError(
      "unsupported-platform",
      `raw Ethernet (AF_PACKET) is not available on ${process.platform}: it needs Linux`,
    );
  }
  const path = rawAddonPath();
  if (!existsSync(path)) {
    throw new RawEthernetError(
      "addon-not-built",
      `raw Ethernet addon ${path} is missing: run \`npm ci\` (or \`node native/build.mjs\`) with python3, make and a C compiler installed`,
    );
  }
  try {
    cached = createRequire(import.meta.url)(path) as RawAddon;
  } catch (cause) {
    throw new RawEthernetError(
      "addon-not-built",
      `raw Ethernet addon ${path} does not load: rebuild it with \`node native/build.mjs\``,
      { cause },
    );
  }
  return cached;
}
