/**
 * The few `Buffer` members the core's TLS key schedule uses (from, alloc, concat, copy, writeBigUInt64BE),
 * over Uint8Array, for the browser build. Installed as `globalThis.Buffer` only where there is none.
 */
export class ShimBuffer extends Uint8Array {
  static override from(x: unknown, enc?: unknown): ShimBuffer {
    if (typeof x === "string") {
      if (enc !== undefined && enc !== "latin1" && enc !== "binary")
        throw new TypeError(`Buffer.from: encoding ${String(enc)} is not supported here`);
      const b = new ShimBuffer(x.length);
      for (let i = 0; i < x.length; i++) b[i] = x.charCodeAt(i) & 0xff;
      return b;
    }
    const src = x as ArrayLike<number>;
    const b = new ShimBuffer(src.length);
    b.set(src);
    return b;
  }
  static alloc(n: number): ShimBuffer {
    return new ShimBuffer(n);
  }
  static concat(list: readonly Uint8Array[]): ShimBuffer {
    const out = new ShimBuffer(list.reduce((n, b) => n + b.length, 0));
    let o = 0;
    for (const b of list) {
      out.set(b, o);
      o += b.length;
    }
    return out;
  }
  copy(target: Uint8Array, targetStart = 0): number {
    const n = Math.min(this.length, target.length - targetStart);
    target.set(this.subarray(0, n), targetStart);
    return n;
  }
  writeBigUInt64BE(v: bigint, offset = 0): number {
    new DataView(this.buffer, this.byteOffset, this.byteLength).setBigUint64(offset, v);
    return offset + 8;
  }
}

export function installBuffer(): void {
  const g = globalThis as { Buffer?: unknown };
  if (g.Buffer === undefined) g.Buffer = ShimBuffer;
}
