// The normal and skew-normal distributions, written here because the exposure estimate needs
// the skew-normal CDF far in its lower tail and none of our dependencies provide it.

/**
 * Complementary error function, Chebyshev fit with fractional error < 1.2e-7 everywhere
 * (Numerical Recipes, 2nd ed., sec. 6.2, erfcc). Relative (not absolute) accuracy in the
 * tails is what matters for -log2 of a tiny probability, and this fit keeps it.
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

export function normalPdf(z: number): number {
  return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
}

/** Skew-normal with location xi, scale omega, shape alpha (Azzalini 1985). */
export interface SkewNormal {
  xi: number;
  omega: number;
  alpha: number;
}

/**
 * Method-of-moments fit; |skewness| is clipped just below the family's maximum (~0.995).
 * Near zero skewness the moment equations are singular (skewness 0.05, pure sampling noise
 * for normal data, already gives alpha ~ 0.7 and shifts the far tail by half a bit), so a
 * sample skewness within 2 standard errors (sqrt(6/n)) of zero is treated as zero: a normal.
 */
export function fitSkewNormal(xs: ArrayLike<number>): SkewNormal {
  const n = xs.length;
  if (n < 3) throw new RangeError(`fitSkewNormal: need at least 3 values, got ${n}`);
  let m = 0;
  for (let i = 0; i < n; i++) m += xs[i];
  m /= n;
  let m2 = 0;
  let m3 = 0;
  for (let i = 0; i < n; i++) {
    const d = xs[i] - m;
    m2 += d * d;
    m3 += d * d * d;
  }
  m2 /= n;
  m3 /= n;
  if (m2 === 0) throw new RangeError("fitSkewNormal: all values are equal");
  const skew = m3 / Math.pow(m2, 1.5);
  const g = Math.abs(skew) < 2 * Math.sqrt(6 / n) ? 0 : Math.max(-0.99, Math.min(0.99, skew));
  const g23 = Math.pow(Math.abs(g), 2 / 3);
  const delta =
    g === 0 ? 0 : Math.sign(g) * Math.sqrt((Math.PI / 2) * (g23 / (g23 + Math.pow((4 - Math.PI) / 2, 2 / 3))));
  const omega = Math.sqrt(m2 / (1 - (2 * delta * delta) / Math.PI));
  return { xi: m - omega * delta * Math.sqrt(2 / Math.PI), omega, alpha: delta / Math.sqrt(1 - delta * delta) };
}

/**
 * Skew-normal CDF by Simpson integration of the density 2 phi(t) Phi(alpha t) over the tail on
 * the near side (the lower tail for z <= 0, else 1 - upper tail), so a CDF of 1e-12 keeps its
 * relative precision instead of vanishing in a subtraction.
 */
export function skewNormalCdf(x: number, d: SkewNormal): number {
  const z = (x - d.xi) / d.omega;
  const f = (t: number): number => 2 * normalPdf(t) * normalCdf(d.alpha * t);
  const simpson = (a: number, b: number, steps: number): number => {
    const h = (b - a) / steps;
    let s = f(a) + f(b);
    for (let i = 1; i < steps; i++) s += f(a + i * h) * (i % 2 ? 4 : 2);
    return (s * h) / 3;
  };
  // Beyond 12 sd from z the density is < e^-72 of its value at z: nothing left to add.
  if (z <= 0) return simpson(z - 12, z, 2000);
  return 1 - simpson(z, z + 12, 2000);
}
