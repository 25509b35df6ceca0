/** Kronrod 15-point abscissae on [-1, 1] (non-negative half, QUADPACK qk15); odd indices are the Gauss 7 nodes. */
const KRONROD_NODES = [
  0.9914553711208126, 0.9491079123427585, 0.8648644233597691, 0.7415311855993945, 0.5860872354676911,
  0.4058451513773972, 0.20778495500789848, 0,
];
const KRONROD_WEIGHTS = [
  0.022935322010529224, 0.06309209262997856, 0.10479001032225019, 0.14065325971552592, 0.1690047266392679,
  0.19035057806478542, 0.20443294007529889, 0.20948214108472782,
];
/** Gauss 7-point weights for KRONROD_NODES[1], [3], [5], [7]. */
const GAUSS_WEIGHTS = [0.1294849661688697, 0.27970539148927664, 0.3818300505051189, 0.4179591836734694];

/** One panel's Kronrod estimate and its error estimate |Kronrod - Gauss|. */
interface Panel {
  start: number;
  end: number;
  value: number;
  error: number;
}

/**
 * ∫ integrand over [start, end] by globally adaptive Gauss–Kronrod (G7/K15) quadrature: the panel with the
 * largest error estimate is halved until the summed estimate is within `tolerance` or `maxPanels` panels
 * exist, so the number of evaluations is bounded even when rounding noise keeps the estimate from settling.
 */
export function gaussKronrod(
  integrand: (x: number) => number,
  start: number,
  end: number,
  tolerance: number,
  maxPanels = 500,
): number {
  const panels = [estimate(integrand, start, end)];
  for (;;) {
    let worst = 0;
    let totalError = 0;
    panels.forEach((panel, index) => {
      totalError += panel.error;
      if (panel.error > panels[worst]!.error) worst = index;
    });
    if (totalError <= tolerance || panels.length >= maxPanels) break;
    const { start: left, end: right } = panels[worst]!;
    const middle = (left + right) / 2;
    panels.splice(worst, 1, estimate(integrand, left, middle), estimate(integrand, middle, right));
  }
  return panels.reduce((sum, panel) => sum + panel.value, 0);
}

function estimate(integrand: (x: number) => number, start: number, end: number): Panel {
  const half = (end - start) / 2;
  const center = start + half;
  let kronrod = 0;
  let gauss = 0;
  KRONROD_NODES.forEach((node, index) => {
    const sum =
      node === 0 ? integrand(center) : integrand(center - half * node) + integrand(center + half * node);
    kronrod += KRONROD_WEIGHTS[index]! * sum;
    if (index % 2 === 1) gauss += GAUSS_WEIGHTS[(index - 1) / 2]! * sum;
  });
  return { start, end, value: kronrod * half, error: Math.abs((kronrod - gauss) * half) };
}
