/** One step of Kahan–Neumaier summation; returns the new sum and writes the new compensation into `c[0]`. */
export function kahanSumInc(inc: number, sum: number, c: Float64Array): number {
  const t = sum + inc;
  if (t === Infinity || t === -Infinity) c[0] = 0;
  else if (Math.abs(sum) >= Math.abs(inc)) c[0] += sum - t + inc;
  else c[0] += inc - t + sum;
  return t;
}
