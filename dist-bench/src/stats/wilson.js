/** 95% two-sided normal quantile. */
export const Z95 = 1.959963984540054;
/** Wilson score interval for k successes in n trials; [0, 1] when n is 0 (nothing is known). */
export function wilson(k, n, z = Z95) {
    if (n <= 0)
        return { low: 0, high: 1 };
    const p = k / n;
    const z2 = z * z;
    const denom = 1 + z2 / n;
    const centre = (p + z2 / (2 * n)) / denom;
    const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
    return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}
export function rate(k, n) {
    return { k, n, rate: n > 0 ? k / n : null, ci: wilson(k, n) };
}
//# sourceMappingURL=wilson.js.map