/**
 * One step of Kahan-Neumaier compensated summation, as Prometheus's kahanSumInc: returns the new sum and the new
 * compensation; the final value is sum + compensation. The compensation is dropped once the sum is infinite.
 */
export function kahanSumInc(inc: number, sum: number, compensation: number): { sum: number; compensation: number } {
  const t = sum + inc;
  let c = compensation;
  if (!Number.isFinite(t)) c = 0;
  else if (Math.abs(sum) >= Math.abs(inc)) c += sum - t + inc;
  else c += inc - t + sum;
  return { sum: t, compensation: c };
}
