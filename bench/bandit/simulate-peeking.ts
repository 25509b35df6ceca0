import { type AnalysisConfig, analyzeExperiment, createRng } from '../../src/stats/index.js';
import { conversionSums } from './conversion-sums.js';

/** One simulated A/A experiment looked at every day. */
export interface PeekingSettings {
  /** The conversion rate of both arms. */
  rate: number;
  unitsPerArmPerDay: number;
  days: number;
  seed: number;
  config: Omit<AnalysisConfig, 'sequential'>;
}

/** The first day (1-based) on which the primary verdict was significant, or null, per way of looking. */
export interface PeekingRun {
  fixedHorizon: number | null;
  sequential: number | null;
  /** Fixed-horizon verdict at the last day only (no peeking). */
  finalLookOnly: boolean;
}

/**
 * Simulates two identical arms day by day (each unit converts with `rate`, drawn from createRng(seed)) and,
 * after every day, analyses the cumulative data with `analyzeExperiment` twice — fixed-horizon and sequential —
 * recording the first look whose primary verdict is a significant win or loss: any such look is a false
 * positive, since the arms are the same.
 */
export function simulatePeeking(settings: PeekingSettings): PeekingRun {
  const rng = createRng(settings.seed);
  const successes = [0, 0];
  let trials = 0;
  const run: PeekingRun = { fixedHorizon: null, sequential: null, finalLookOnly: false };
  for (let day = 1; day <= settings.days; day += 1) {
    for (let arm = 0; arm < 2; arm += 1) {
      for (let unit = 0; unit < settings.unitsPerArmPerDay; unit += 1) {
        if (rng() < settings.rate) successes[arm]! += 1;
      }
    }
    trials += settings.unitsPerArmPerDay;
    const data = {
      arms: ['control', 'treatment'].map((variant, arm) => ({
        variant,
        units: trials,
        metrics: { [settings.config.primaryMetric]: conversionSums(successes[arm]!, trials) },
        latency: null,
      })),
      multipleExposureUnits: 0,
      periods: [],
    };
    for (const sequential of [false, true]) {
      if ((sequential ? run.sequential : run.fixedHorizon) !== null && day < settings.days) continue;
      const analysis = analyzeExperiment({
        data,
        config: { ...settings.config, sequential },
        control: 'control',
      });
      const significant =
        analysis.verdict.verdict === 'significant win' || analysis.verdict.verdict === 'significant loss';
      if (sequential && significant && run.sequential === null) run.sequential = day;
      if (!sequential && significant && run.fixedHorizon === null) run.fixedHorizon = day;
      if (!sequential && day === settings.days) run.finalLookOnly = significant;
    }
  }
  return run;
}
