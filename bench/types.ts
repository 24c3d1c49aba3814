/** One measured figure of a benchmark. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  /** Optional target, e.g. { op: ">=", value: 1_000_000, met: true }. */
  target?: { op: ">=" | "<="; value: number; met: boolean };
  detail?: Record<string, unknown>;
}

/** Compare a measured value against a target. */
export function target(op: ">=" | "<=", value: number, measured: number): BenchResult["target"] {
  return { op, value, met: op === ">=" ? measured >= value : measured <= value };
}
