/**
 * One step of Kahan–Neumaier compensated summation, as Prometheus's kahanSumInc: returns the new sum and writes the
 * new compensation into `c[0]` (the final value is sum + c[0]). The compensation is dropped once the sum is infinite.
 * The out parameter keeps hot loops allocation-free.
 */
export function kahanSumInc(inc: number, sum: number, c: Float64Array): number {
  const t = sum + inc;
  if (t === Infinity || t === -Infinity) c[0] = 0;
  else if (Math.abs(sum) >= Math.abs(inc)) c[0] += sum - t + inc;
  else c[0] += inc - t + sum;
  return t;
}
