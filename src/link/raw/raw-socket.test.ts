import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { rawAddonPath } from "./addon.js";
import { RawEthernetError } from "./errors.js";
import { RawEthernetSocket, rawInterfaceInfo } from "./raw-socket.js";

const isRoot = process.getuid?.() === 0;
const built = existsSync(rawAddonPath());
const skipReal =
  process.platform !== "linux"
    ? "raw Ethernet needs Linux"
    : !built
      ? `addon not built (${rawAddonPath()}): run npm ci`
      : !isRoot
        ? "needs root or CAP_NET_RAW (not root)"
        : false;

const code = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof RawEthernetError, `expected RawEthernetError, got ${String(e)}`);
    return e.code;
  }
  return undefined;
};

test("raw: bad interface names and EtherTypes are refused with bad-option before anything opens", () => {
  assert.equal(
    code(() => RawEthernetSocket.open({ ifname: "" })),
    "bad-option",
  );
  assert.equal(
    code(() => RawEthernetSocket.open({ ifname: "a-name-longer-than-15" })),
    "bad-option",
  );
  assert.equal(
    code(() => RawEthernetSocket.open({ ifname: "lo", etherType: 0x10000 })),
    "bad-option",
  );
  assert.equal(
    code(() => RawEthernetSocket.open({ ifname: "lo", etherType: 0x05ff })),
    "bad-option",
  );
});

test("raw: without the addon, using raw Ethernet raises addon-not-built naming the file (module loads fine)", () => {
  const here = fileURLToPath(new URL("./index.ts", import.meta.url));
  const script = `import(${JSON.stringify(here)}).then((m) => { try { m.RawEthernetSocket.open({ ifname: "lo" }); console.log("opened"); } catch (e) { console.log(e.name, e.code, e.message); } });`;
  const r = spawnSync(process.execPath, ["--import", "tsx", "-e", script], {
    env: { ...process.env, NACS_RAW_ADDON: "/nonexistent/nacs_raw.node" },
    encoding: "utf8",
    timeout: 20_000,
  });
  const expected = process.platform === "linux" ? "addon-not-built" : "unsupported-platform";
  assert.match(r.stdout, new RegExp(`^RawEthernetError ${expected} `), r.stdout + r.stderr);
  if (process.platform === "linux") assert.match(r.stdout, /\/nonexistent\/nacs_raw\.node/);
});

test(
  "raw: without root or CAP_NET_RAW, opening is permission-denied",
  {
    skip:
      process.platform !== "linux" || !built
        ? "needs Linux and the addon"
        : isRoot
          ? "running as root"
          : false,
  },
  () => {
    assert.equal(
      code(() => RawEthernetSocket.open({ ifname: "lo" })),
      "permission-denied",
    );
  },
);

test("raw: a missing interface is no-such-interface", { skip: skipReal }, () => {
  assert.equal(
    code(() => RawEthernetSocket.open({ ifname: "nacs-none0" })),
    "no-such-interface",
  );
  assert.equal(
    code(() => rawInterfaceInfo("nacs-none0")),
    "no-such-interface",
  );
});

test(
  "raw: two sockets on lo: one sends a 0x88E1 frame, the other receives it byte for byte",
  {
    skip: skipReal,
  },
  async () => {
    const a = RawEthernetSocket.open({ ifname: "lo" });
    const b = RawEthernetSocket.open({ ifname: "lo" });
    try {
      assert.equal(a.mac.length, 6);
      assert.ok(a.ifindex > 0);
      assert.deepEqual(rawInterfaceInfo("lo").ifindex, a.ifindex);
      const frame = new Uint8Array(60);
      frame.set([0x02, 0, 0, 0, 0, 0x42], 0);
      frame.set([0x02, 0, 0, 0, 0, 0x43], 6);
      frame.set([0x88, 0xe1, 0x01, 0x64, 0x60], 12);
      frame[59] = 0x5a;
      const got = new Promise<Uint8Array>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error("no frame within 2 s")), 2000);
        b.onFrame((f) => {
          if (f[59] === 0x5a && f[11] === 0x43) {
            clearTimeout(t);
            resolve(f);
          }
        });
      });
      a.send(frame);
      assert.deepEqual(await got, frame);
      assert.equal(
        code(() => a.send(new Uint8Array(10))),
        "bad-option",
      );
    } finally {
      a.close();
      b.close();
      b.close();
    }
    assert.equal(a.closed, true);
    assert.equal(
      code(() => a.send(new Uint8Array(60))),
      "closed",
    );
  },
);
