/**
 * Test hosts in Linux network namespaces: two namespaces, one for the EV and one for the
 * EVSE, joined by a veth pair, created with iproute2's `ip`. Names carry the creating process id
 * (`nacs-ev-<pid>`, `nacs-evse-<pid>`) so parallel runs never collide, and namespaces left behind by a
 * process that no longer exists are swept away before a new pair is made. Needs root (CI runs as root).
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

/** Interface name of the EV's veth end (inside its namespace). */
export const VETH_EV = "veth-ev";
/** Interface name of the EVSE's veth end (inside its namespace). */
export const VETH_EVSE = "veth-evse";
/** Prefix of every namespace these helpers make. */
export const NETNS_PREFIX = "nacs-";

/** Where `ip` is, or undefined. */
export function findIp(): string | undefined {
  return ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"].find((p) => existsSync(p));
}

/** Why namespace tests cannot run here (printed as the skip reason), or undefined when they can. */
export function netnsSkipReason(): string | undefined {
  if (process.platform !== "linux") return `network namespaces need Linux (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return "network namespace tests need root (id -u is not 0)";
  if (!findIp()) return "iproute2 `ip` not found (apt-get install iproute2)";
  return undefined;
}

function ip(args: string[]): string {
  return execFileSync(findIp() ?? "ip", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

/** Namespace names that exist now. */
export function listNetns(): string[] {
  return ip(["netns", "list"])
    .split("\n")
    .map((l) => l.trim().split(/\s+/)[0] ?? "")
    .filter((n) => n.length > 0);
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
};

/**
 * Delete `nacs-ev-<pid>[-<n>]` / `nacs-evse-<pid>[-<n>]` namespaces whose process is gone; returns their
 * names.
 */
export function sweepStaleNetns(): string[] {
  const gone: string[] = [];
  for (const n of listNetns()) {
    const m = /^nacs-(?:ev|evse)-(\d+)(?:-\d+)?$/.exec(n);
    if (!m || alive(Number(m[1]))) continue;
    try {
      ip(["netns", "del", n]);
      gone.push(n);
    } catch {
      // someone else removed it meanwhile
    }
  }
  return gone;
}

/** The namespace's default for new links: no duplicate address detection. */
const NO_DAD_SYSCTL = "/proc/sys/net/ipv6/conf/default/accept_dad";

/** A created EV/EVSE namespace pair. */
export interface VethPair {
  nsEv: string;
  nsEvse: string;
  ifEv: string;
  ifEvse: string;
  /** Remove both namespaces (and with them the veth pair). Idempotent, never throws. */
  destroy(): void;
}

/**
 * Create `nacs-ev-<tag>` and `nacs-evse-<tag>` joined by a veth pair (veth-ev ↔ veth-evse), bring both
 * ends and both loopbacks up; DAD is off in both namespaces, so the IPv6 link-local addresses are usable at
 * once. `tag`: the process id, or `<pid>-<n>` for the n-th of parallel pairs. On any failure everything made so far is removed before the error is thrown.
 */
export function createVethPair(tag: string | number = process.pid): VethPair {
  sweepStaleNetns();
  const nsEv = `${NETNS_PREFIX}ev-${tag}`;
  const nsEvse = `${NETNS_PREFIX}evse-${tag}`;
  const made: string[] = [];
  let destroyed = false;
  const destroy = () => {
    if (destroyed) return;
    destroyed = true;
    for (const n of made) {
      try {
        ip(["netns", "del", n]);
      } catch {
        // already gone
      }
    }
  };
  try {
    for (const n of [nsEv, nsEvse]) {
      if (listNetns().includes(n)) ip(["netns", "del", n]);
      ip(["netns", "add", n]);
      made.push(n);
      // No duplicate address detection on the namespace's links (RFC 4862 §5.4: DupAddrDetectTransmits 0):
      // each veth end is alone on its link, and its link-local address is then usable as soon as the link
      // is up instead of after DAD's 1–2 s, which every run would wait out.
      ip(["netns", "exec", n, "sh", "-c", `echo 0 > ${NO_DAD_SYSCTL}`]);
    }
    ip(["link", "add", VETH_EV, "netns", nsEv, "type", "veth", "peer", "name", VETH_EVSE, "netns", nsEvse]);
    for (const [n, i] of [
      [nsEv, VETH_EV],
      [nsEvse, VETH_EVSE],
    ] as const) {
      ip(["-n", n, "link", "set", "lo", "up"]);
      ip(["-n", n, "link", "set", i, "up"]);
    }
  } catch (e) {
    destroy();
    throw e;
  }
  return { nsEv, nsEvse, ifEv: VETH_EV, ifEvse: VETH_EVSE, destroy };
}
