import { SwitchyardError } from '../core/errors.js';
import { sampleNormal } from './sample-normal.js';

/** A uniform source rejects this often in a row only if it is not uniform (e.g. a constant stub). */
const MAX_REJECTIONS = 10_000;

/** One Beta(alpha, beta) draw from `rng`, as X / (X + Y) of two Gamma draws (Marsaglia–Tsang). */
export function sampleBeta(alpha: number, beta: number, rng: () => number): number {
  const x = sampleGamma(alpha, rng);
  const y = sampleGamma(beta, rng);
  return x / (x + y);
}

/** One Gamma(shape, 1) draw by Marsaglia and Tsang's squeeze method; shapes below 1 are boosted by U^(1/shape). */
function sampleGamma(shape: number, rng: () => number): number {
  if (shape < 1) return sampleGamma(shape + 1, rng) * (1 - rng()) ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (let attempt = 0; attempt < MAX_REJECTIONS; attempt += 1) {
    const normal = sampleNormal(rng);
    const base = 1 + c * normal;
    if (base <= 0) continue;
    const cube = base ** 3;
    const uniform = 1 - rng();
    if (uniform < 1 - 0.0331 * normal ** 4) return d * cube;
    if (Math.log(uniform) < 0.5 * normal ** 2 + d * (1 - cube + Math.log(cube))) return d * cube;
  }
  throw new SwitchyardError('INVALID_INPUT', 'rng: does not produce uniform numbers in [0, 1)');
}
