import { describe, expect, it } from 'vitest';
import { type AlertRuleEntry, alertRuleSchema, expandAlertPresets } from './alert-rule.js';
import { formatProblem } from './errors.js';
import { featureConfigSchema } from './feature-config.js';
import { validateFeature } from './validate-feature.js';

const feature = {
  key: 'persona-generation',
  defaultVariant: 'legacy',
  variants: {
    legacy: { type: 'handler' },
    'qloo-first': { type: 'llm', provider: 'google', model: 'gemini-2.0-flash', fallback: ['legacy'] },
  },
  rules: [{ id: 'rollout', split: { legacy: 90, 'qloo-first': 10 } }],
};

function withAlerts(alerts: unknown[]): unknown {
  return { ...feature, alerts };
}

function problemsOf(input: unknown): string[] {
  const result = validateFeature(input);
  return result.ok ? [] : result.problems.map(formatProblem);
}

function parseRule(input: unknown): AlertRuleEntry {
  return alertRuleSchema.parse(input);
}

describe('alertRuleSchema', () => {
  it('applies the defaults of an absolute rule', () => {
    expect(
      parseRule({ kind: 'absolute', id: 'errors', metric: 'error-rate', comparator: '>', threshold: 0.02 }),
    ).toEqual({
      kind: 'absolute',
      id: 'errors',
      metric: 'error-rate',
      comparator: '>',
      threshold: 0.02,
      scope: 'all',
      windowMs: 300_000,
      minSamples: 100,
      severity: 'critical',
      action: 'alert',
    });
  });

  it('applies the defaults of a relative rule, leaving treatment and control to the feature', () => {
    expect(parseRule({ kind: 'relative', id: 'worse-errors', metric: 'error-rate' })).toEqual({
      kind: 'relative',
      id: 'worse-errors',
      metric: 'error-rate',
      alpha: 0.05,
      margin: 0,
      minSamples: 100,
      severity: 'critical',
      action: 'alert',
    });
  });

  it('accepts a preset entry as written', () => {
    expect(parseRule({ preset: 'field-reports' })).toEqual({ preset: 'field-reports' });
  });

  it('rejects bad fields with their paths', () => {
    const cases: [unknown, string][] = [
      [{ kind: 'sometimes', id: 'x' }, 'alerts[0].kind: kind must be "absolute" or "relative"'],
      [{ preset: 'everything' }, 'alerts[0].preset: needs "kind"'],
      [
        { kind: 'absolute', id: 'x', metric: 'error-rate', threshold: 0.1 },
        'alerts[0].comparator: is required',
      ],
      [
        { kind: 'absolute', id: 'x', metric: 'error-rate', comparator: '!=', threshold: 0.1 },
        'alerts[0].comparator: comparator must be',
      ],
      [
        { kind: 'absolute', id: 'x', metric: 'error-rate', comparator: '>' },
        'alerts[0].threshold: is required',
      ],
      [
        { kind: 'absolute', id: 'x', metric: 'error-rate', comparator: '>', threshold: 2 },
        'alerts[0].threshold: error-rate is a fraction from 0 to 1 (10 % is 0.1)',
      ],
      [
        { kind: 'absolute', id: 'x', metric: 'mean-latency', comparator: '>', threshold: 1, windowMs: 5_000 },
        'alerts[0].windowMs',
      ],
      [
        { kind: 'relative', id: 'x', metric: 'error-rate', alpha: 0.5 },
        'alerts[0].alpha: alpha must be in (0, 0.5)',
      ],
      [
        { kind: 'relative', id: 'x', metric: 'error-rate', margin: -0.1 },
        'alerts[0].margin: margin must be >= 0',
      ],
      [
        { kind: 'relative', id: 'x', metric: 'spend-today' },
        'alerts[0].metric: spend-today is for absolute rules only',
      ],
      [
        { kind: 'relative', id: 'x', metric: 'p95-latency' },
        'alerts[0].metric: p95-latency is for absolute rules only',
      ],
      [
        { kind: 'relative', id: 'x', metric: 'error-rate', comparator: '>' },
        'alerts[0]: unknown field "comparator"',
      ],
      [
        { kind: 'relative', id: 'x', metric: 'error-rate', severity: 'loud' },
        'alerts[0].severity: severity must be',
      ],
      [
        { kind: 'relative', id: 'x', metric: 'error-rate', action: 'panic' },
        'alerts[0].action: action must be one of',
      ],
    ];
    for (const [rule, expected] of cases) {
      const problems = problemsOf(withAlerts([rule]));
      expect(problems, JSON.stringify(rule)).toHaveLength(1);
      expect(problems[0], JSON.stringify(rule)).toContain(expected);
    }
  });

  it('caps a feature at 50 alerts', () => {
    const rules = Array.from({ length: 51 }, (_, index) => ({
      kind: 'relative',
      id: `r${index}`,
      metric: 'error-rate',
    }));
    expect(problemsOf(withAlerts(rules))).toEqual(['alerts: at most 50 alert rules']);
    expect(problemsOf(withAlerts(rules.slice(0, 50)))).toEqual([]);
  });
});

describe('validateFeature on alerts', () => {
  it('accepts rules naming the feature variants, every metric kind and a preset', () => {
    const result = validateFeature(
      withAlerts([
        { preset: 'field-reports' },
        {
          kind: 'absolute',
          id: 'slow-qloo',
          metric: 'p95-latency',
          scope: 'qloo-first',
          comparator: '>',
          threshold: 8000,
        },
        {
          kind: 'absolute',
          id: 'spend',
          metric: 'spend-today',
          comparator: '>=',
          threshold: 80,
          minSamples: 0,
        },
        {
          kind: 'relative',
          id: 'worse-errors',
          metric: 'error-rate',
          treatment: 'qloo-first',
          control: 'legacy',
        },
        {
          kind: 'relative',
          id: 'worse-thumbs',
          metric: 'feedback:thumbs',
          margin: 0.1,
          action: 'pause-experiment',
        },
      ]),
    );
    expect(result.ok ? [] : result.problems).toEqual([]);
  });

  it('names variants, metrics and ids that do not fit the feature', () => {
    expect(
      problemsOf(
        withAlerts([
          { kind: 'absolute', id: 'a', metric: 'error-rate', scope: 'v3', comparator: '>', threshold: 0.1 },
          { kind: 'absolute', id: 'a', metric: 'errors', comparator: '>', threshold: 1 },
          { kind: 'relative', id: 'bad id!', metric: 'error-rate', treatment: 'ghost', control: 'phantom' },
          { kind: 'relative', id: 'self', metric: 'error-rate', treatment: 'legacy' },
          { kind: 'relative', id: 'cost', metric: 'spend-today-ish' },
          { kind: 'absolute', id: 'thumbs', metric: 'feedback:thumbs', comparator: '<', threshold: 0.5 },
        ]),
      ),
    ).toEqual([
      'alerts[0].scope: unknown variant "v3"',
      'alerts[1].id: duplicate alert id "a" (also alerts[0])',
      expect.stringMatching(/^alerts\[1\]\.metric: must be one of acceptance-rate, .* or "spend-today"$/),
      'alerts[2].id: must be 1-64 letters, digits, "-", "_" or ".", starting with a letter or digit',
      'alerts[2].control: unknown variant "phantom"',
      'alerts[2].treatment: unknown variant "ghost"',
      'alerts[3].treatment: is the control ("legacy")',
      expect.stringMatching(/^alerts\[4\]\.metric: must be one of .*"feedback:<name>"$/),
      'alerts[5].metric: feedback metrics are for relative rules only',
    ]);
  });

  it('needs a treatment other than control when the feature has one variant', () => {
    const single = { key: 'solo', defaultVariant: 'only', variants: { only: { type: 'handler' } } };
    expect(problemsOf({ ...single, alerts: [{ kind: 'relative', id: 'r', metric: 'error-rate' }] })).toEqual([
      'alerts[0].treatment: no variant other than the control ("only")',
    ]);
  });

  it('rejects a second preset and ids a preset already adds', () => {
    expect(
      problemsOf(
        withAlerts([
          { preset: 'field-reports' },
          {
            kind: 'absolute',
            id: 'preset-spend-today',
            metric: 'spend-today',
            comparator: '>',
            threshold: 5,
          },
          { preset: 'field-reports' },
        ]),
      ),
    ).toEqual([
      'alerts[2].preset: duplicate preset (also alerts[0])',
      'alerts[1].id: duplicate alert id "preset-spend-today" (the preset at alerts[0] adds it)',
    ]);
  });

  it('round-trips a feature with alerts through the schema and JSON unchanged', () => {
    const input = withAlerts([
      { preset: 'field-reports' },
      {
        kind: 'absolute',
        id: 'errors',
        metric: 'error-rate',
        comparator: '>',
        threshold: 0.05,
        severity: 'warning',
      },
      {
        kind: 'relative',
        id: 'worse',
        metric: 'mean-cost',
        treatment: 'qloo-first',
        alpha: 0.01,
        margin: 0.2,
      },
    ]);
    const once = featureConfigSchema.parse(input);
    const twice = featureConfigSchema.parse(JSON.parse(JSON.stringify(once)));
    expect(twice).toEqual(once);
    expect(once.alerts?.[1]).toMatchObject({
      scope: 'all',
      windowMs: 300_000,
      minSamples: 100,
      action: 'alert',
    });
    expect(validateFeature(twice).ok).toBe(true);
  });

  it('leaves a feature without alerts as it was', () => {
    const parsed = featureConfigSchema.parse(feature);
    expect('alerts' in parsed).toBe(false);
  });
});

describe('expandAlertPresets', () => {
  const preset = parseRule({ preset: 'field-reports' });
  const explicit = parseRule({ kind: 'relative', id: 'worse', metric: 'error-rate' });

  it('expands field-reports into the reported thresholds, in place, keeping other rules', () => {
    const rules = expandAlertPresets([explicit, preset]);
    expect(rules[0]).toBe(explicit);
    expect(
      rules
        .slice(1)
        .map((rule) =>
          rule.kind === 'absolute'
            ? [rule.id, rule.metric, rule.comparator, rule.threshold, rule.severity, rule.action]
            : rule.id,
        ),
    ).toEqual([
      ['preset-error-rate', 'error-rate', '>', 0.02, 'critical', 'rollback'],
      ['preset-fallback-rate', 'fallback-rate', '>', 0.1, 'warning', 'alert'],
      ['preset-p95-latency', 'p95-latency', '>', 8000, 'warning', 'alert'],
      ['preset-parse-error-rate', 'parse-error-rate', '>', 0.01, 'critical', 'alert'],
    ]);
    for (const rule of rules.slice(1)) {
      expect(rule).toMatchObject({ kind: 'absolute', scope: 'all', windowMs: 300_000 });
    }
  });

  it('adds the cache rule only with a cache policy and the spend rules only with a daily budget', () => {
    const cachedVariant = { variants: { v1: { policy: { cache: { mode: 'exact' } } } } };
    expect(expandAlertPresets([preset], cachedVariant).map((rule) => rule.id)).toContain(
      'preset-cache-hit-rate',
    );
    const budgeted = expandAlertPresets([preset], { policy: { budget: { dailyUsd: 100 } } });
    expect(budgeted.map((rule) => rule.id)).not.toContain('preset-cache-hit-rate');
    expect(budgeted.filter((rule) => rule.metric === 'spend-today')).toEqual([
      expect.objectContaining({
        id: 'preset-spend-today-warning',
        comparator: '>=',
        threshold: 80,
        minSamples: 0,
      }),
      expect.objectContaining({
        id: 'preset-spend-today',
        comparator: '>=',
        threshold: 100,
        severity: 'critical',
      }),
    ]);
  });

  it('expands to rules the schema accepts as written', () => {
    const rules = expandAlertPresets([preset], { policy: { cache: {}, budget: { dailyUsd: 10 } } });
    expect(rules).toHaveLength(7);
    for (const rule of rules) expect(alertRuleSchema.parse(rule)).toEqual(rule);
    expect(validateFeature(withAlerts(rules)).ok).toBe(true);
  });
});
