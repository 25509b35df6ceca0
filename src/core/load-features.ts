import { LineCounter, parseDocument } from 'yaml';
import { type ConfigProblem, InvalidConfigError } from './errors.js';
import type { FeatureConfig } from './feature-config.js';
import { validateFeature } from './validate-feature.js';

/** Text formats a feature file may be written in. */
export type FeatureFileFormat = 'json' | 'yaml';

/**
 * Parses a JSON or YAML document holding one feature, a list of features, or `{ features: [...] }`,
 * and validates each; throws InvalidConfigError listing every problem (list items prefixed `[i]`).
 *
 * @example
 * const features = loadFeatures(readFileSync('features.yaml', 'utf8'), 'yaml');
 */
export function loadFeatures(text: string, format: FeatureFileFormat = 'yaml'): FeatureConfig[] {
  const document = parseText(text, format);
  const list = Array.isArray(document)
    ? { items: document as unknown[], prefix: (index: number) => `[${index}]` }
    : isFeatureBundle(document)
      ? { items: document.features, prefix: (index: number) => `features[${index}]` }
      : { items: [document], prefix: () => '' };

  const features: FeatureConfig[] = [];
  const problems: ConfigProblem[] = [];
  const seen = new Map<string, number>();
  list.items.forEach((item, index) => {
    const result = validateFeature(item);
    const prefix = list.prefix(index);
    if (!result.ok) {
      for (const problem of result.problems) {
        problems.push({ path: joinPath(prefix, problem.path), message: problem.message });
      }
      return;
    }
    const earlier = seen.get(result.feature.key);
    if (earlier !== undefined) {
      problems.push({
        path: joinPath(prefix, 'key'),
        message: `duplicate feature key "${result.feature.key}" (also ${list.prefix(earlier) || 'item 0'})`,
      });
      return;
    }
    seen.set(result.feature.key, index);
    features.push(result.feature);
  });
  if (list.items.length === 0) problems.push({ path: '', message: 'the document holds no feature' });
  if (problems.length > 0) throw new InvalidConfigError('invalid feature', problems);
  return features;
}

/** Guesses the format from a file name: `.json` is JSON, everything else YAML (a superset of JSON). */
export function formatFromFileName(fileName: string): FeatureFileFormat {
  return fileName.toLowerCase().endsWith('.json') ? 'json' : 'yaml';
}

function parseText(text: string, format: FeatureFileFormat): unknown {
  if (format === 'json') {
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new InvalidConfigError('invalid feature file', [
        { path: '', message: `not valid JSON: ${message}` },
      ]);
    }
  }
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { prettyErrors: false, uniqueKeys: true, lineCounter });
  const [first] = document.errors;
  if (first) {
    // Later YAML errors are usually echoes of the first one: report the first, with its position.
    const position = lineCounter.linePos(first.pos[0]);
    const message = first.message.split('\n')[0] ?? '';
    throw new InvalidConfigError('invalid feature file', [
      { path: '', message: `not valid YAML: line ${position.line}, column ${position.col}: ${message}` },
    ]);
  }
  return document.toJS({ maxAliasCount: 100 }) as unknown;
}

function isFeatureBundle(value: unknown): value is { features: unknown[] } {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.keys(value).length === 1 &&
    Array.isArray((value as { features?: unknown }).features)
  );
}

function joinPath(prefix: string, path: string): string {
  if (!prefix) return path;
  if (!path) return prefix;
  return path.startsWith('[') ? `${prefix}${path}` : `${prefix}.${path}`;
}
