import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { ApiRequestError, withQuery } from '../api-client.js';
import type { SplitRuleConfig, StoredFeature } from '../api-types.js';
import { ErrorNotice } from '../components/error-notice.js';
import { effectiveCoverage } from '../feature-summary.js';
import { type FieldErrors, fieldErrors, splitRuleField } from '../field-errors.js';
import { formatPercent } from '../formatters.js';
import { useSession } from '../session-context.js';

const NO_ERRORS: FieldErrors = { fields: {}, form: [] };

/** A number field's text as JSON: empty is null, so the API names the field rather than reading 0. */
function numberOrNull(text: string): number | null {
  const value = Number(text);
  return text.trim() === '' || !Number.isFinite(value) ? null : value;
}

/**
 * A split rule's weights and coverage: editable by editors (saved as a merge patch with the version read,
 * so a change made meanwhile is refused), with the API's validation problems shown next to each field.
 * While a ramp is present it sets the coverage, so the coverage field is read-only.
 */
export function SplitRuleEditor({
  feature,
  ruleIndex,
  rule,
  onSaved,
}: {
  feature: StoredFeature;
  ruleIndex: number;
  rule: SplitRuleConfig;
  onSaved: () => void;
}) {
  const { api, canEdit } = useSession();
  const id = useId();
  const initialWeights = () =>
    Object.fromEntries(Object.entries(rule.split).map(([variant, weight]) => [variant, String(weight)]));
  const [weights, setWeights] = useState<Record<string, string>>(initialWeights);
  const [coverage, setCoverage] = useState(String(rule.coverage));
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<FieldErrors>(NO_ERRORS);
  const [failure, setFailure] = useState<unknown>();
  const [status, setStatus] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  // A new version (saved here or elsewhere) resets the form to what is stored. Only a new one: effects run
  // after the first paint, and resetting then would throw away what was typed in the meantime.
  const formVersion = useRef(feature.version);
  useEffect(() => {
    if (formVersion.current === feature.version) return;
    formVersion.current = feature.version;
    setWeights(initialWeights());
    setCoverage(String(rule.coverage));
    setErrors(NO_ERRORS);
  }, [feature.version]);

  const total = Object.values(rule.split).reduce((sum, weight) => sum + weight, 0);
  const ramped = rule.ramp !== undefined;

  if (!canEdit) {
    return (
      <dl class="split-view">
        {Object.entries(rule.split).map(([variant, weight]) => (
          <div key={variant}>
            <dt>{variant}</dt>
            <dd>
              weight {weight} ({formatPercent(total > 0 ? weight / total : 0)})
            </dd>
          </div>
        ))}
        <div>
          <dt>coverage</dt>
          <dd>{formatPercent(effectiveCoverage(rule))}</dd>
        </div>
      </dl>
    );
  }

  const onSubmit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setErrors(NO_ERRORS);
    setFailure(undefined);
    setStatus(undefined);
    const split = Object.fromEntries(
      Object.entries(weights).map(([variant, text]) => [variant, numberOrNull(text)]),
    );
    const rules = feature.config.rules.map((current, index) =>
      index === ruleIndex
        ? { ...current, split, ...(ramped ? {} : { coverage: numberOrNull(coverage) }) }
        : current,
    );
    try {
      await api.send(
        'PATCH',
        withQuery(`/api/features/${encodeURIComponent(feature.key)}`, { reason: reason.trim() }),
        { version: feature.version, rules },
        'application/merge-patch+json',
      );
      setReason('');
      setStatus('Saved.');
      onSaved();
    } catch (error) {
      const problems =
        error instanceof ApiRequestError
          ? error.problems.length > 0
            ? error.problems
            : error.path === undefined
              ? []
              : [{ path: error.path, message: error.message }]
          : [];
      const sorted = fieldErrors(problems, (path) => splitRuleField(ruleIndex, path));
      setErrors(sorted);
      if (Object.keys(sorted.fields).length === 0 && sorted.form.length === 0) setFailure(error);
      else if (sorted.form.length === 0) setStatus('Not saved: fix the fields marked below.');
    } finally {
      setBusy(false);
    }
  };

  // Field names hold ':' and variant names may hold '.': neither belongs in an id meant for selectors.
  const errorId = (field: string) => `${id}-${field.replace(/[^A-Za-z0-9_-]/g, '_')}-error`;
  const fieldError = (field: string, text: string | undefined) =>
    text === undefined ? null : (
      <p id={errorId(field)} class="field-error">
        {text}
      </p>
    );
  const described = (field: string) =>
    errors.fields[field] === undefined ? {} : { 'aria-invalid': true, 'aria-describedby': errorId(field) };

  return (
    <form
      class="split-editor"
      onSubmit={onSubmit}
      noValidate
      aria-label={`Split of rule ${rule.id ?? ruleIndex + 1}`}
    >
      <fieldset>
        <legend>Weights</legend>
        <div class="field-grid">
          {Object.keys(weights).map((variant) => (
            <div class="field" key={variant}>
              <label for={`${id}-weight-${variant}`}>Weight of {variant}</label>
              <input
                id={`${id}-weight-${variant}`}
                type="number"
                inputMode="decimal"
                step="any"
                value={weights[variant]}
                {...described(`weight:${variant}`)}
                onInput={(event) => {
                  const value = event.currentTarget.value;
                  setWeights((previous) => ({ ...previous, [variant]: value }));
                }}
              />
              {fieldError(`weight:${variant}`, errors.fields[`weight:${variant}`])}
            </div>
          ))}
        </div>
        {fieldError('split', errors.fields.split)}
      </fieldset>
      <div class="field">
        <label for={`${id}-coverage`}>Coverage (0 to 1)</label>
        <input
          id={`${id}-coverage`}
          type="number"
          inputMode="decimal"
          step="any"
          value={ramped ? String(effectiveCoverage(rule)) : coverage}
          readOnly={ramped}
          aria-describedby={ramped ? `${id}-coverage-note` : undefined}
          {...described('coverage')}
          onInput={(event) => setCoverage(event.currentTarget.value)}
        />
        {ramped && (
          <p id={`${id}-coverage-note`} class="muted">
            Set by the ramp while it runs.
          </p>
        )}
        {fieldError('coverage', errors.fields.coverage)}
      </div>
      <div class="field">
        <label for={`${id}-reason`}>Reason for the change (optional)</label>
        <input
          id={`${id}-reason`}
          type="text"
          value={reason}
          onInput={(event) => setReason(event.currentTarget.value)}
        />
      </div>
      {errors.form.length > 0 && (
        <ul class="notice notice-error" role="alert">
          {errors.form.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      )}
      <ErrorNotice error={failure} />
      <div class="form-buttons">
        <button type="submit" class="button-primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save split'}
        </button>
        {status && (
          <span role="status" class="muted">
            {status}
          </span>
        )}
      </div>
    </form>
  );
}
