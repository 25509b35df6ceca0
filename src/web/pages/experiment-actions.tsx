import { useId, useState } from 'preact/hooks';
import type { ExperimentAnalysis, StoredExperiment } from '../api-types.js';
import { ConfirmDialog } from '../components/confirm-dialog.js';
import { reviewPromotion } from '../promote-concerns.js';
import { useSession } from '../session-context.js';

type Transition = 'pause' | 'resume' | 'promote';

const EFFECTS: Readonly<Record<Transition, string>> = {
  pause: 'Units already assigned keep their arm; new units are not enrolled and fall through the rule.',
  resume: 'Enrolment goes on with the same assignments.',
  promote:
    'The rule serves the chosen variant to everyone it matches, the holdback included, and the experiment ends.',
};

/**
 * Pause, resume and promote buttons for editors, each confirmed in a dialog. Promote asks for the variant,
 * pre-selecting only a winner nothing speaks against, lists the chosen variant's losses (guardrails first)
 * and a primary result that is not a well-powered win, and then requires a reason.
 */
export function ExperimentActions({
  experiment,
  analysis,
  onChanged,
}: {
  experiment: StoredExperiment;
  analysis: ExperimentAnalysis | null;
  onChanged: () => void;
}) {
  const { api, canEdit } = useSession();
  const id = useId();
  const [pending, setPending] = useState<Transition | undefined>();
  const arms = experiment.config.arms ?? [];
  const plannedPower = experiment.config.power;
  const suggestedWinner = reviewPromotion(analysis, '', plannedPower).preselect;
  const [variant, setVariant] = useState(suggestedWinner ?? '');
  const concerns = variant === '' ? [] : reviewPromotion(analysis, variant, plannedPower).concerns;
  if (!canEdit) return null;
  const available: Transition[] = [
    ...(experiment.status === 'running' ? (['pause'] as const) : []),
    ...(experiment.status === 'paused' ? (['resume'] as const) : []),
    ...(['running', 'paused', 'stopped'].includes(experiment.status) ? (['promote'] as const) : []),
  ];
  if (available.length === 0) return null;
  const label = (transition: Transition) => transition[0]?.toUpperCase() + transition.slice(1);
  return (
    <>
      <fieldset class="actions">
        <legend class="visually-hidden">Experiment lifecycle</legend>
        {available.map((transition) => (
          <button
            key={transition}
            type="button"
            class={transition === 'promote' ? 'button-primary' : undefined}
            onClick={() => {
              if (transition === 'promote') setVariant(suggestedWinner ?? '');
              setPending(transition);
            }}
          >
            {label(transition)}
          </button>
        ))}
      </fieldset>
      {pending !== undefined && (
        <ConfirmDialog
          key={pending}
          title={`${label(pending)} ${experiment.key}?`}
          confirmLabel={pending === 'promote' ? `Promote ${variant || '…'}` : label(pending)}
          reason={pending === 'promote' && concerns.length > 0 ? 'required' : 'optional'}
          onClose={() => setPending(undefined)}
          onConfirm={async (reason) => {
            if (pending === 'promote' && variant === '') throw new Error('Choose the variant to serve.');
            await api.send('POST', `/api/experiments/${encodeURIComponent(experiment.key)}/${pending}`, {
              version: experiment.version,
              ...(reason === undefined ? {} : { reason }),
              ...(pending === 'promote' ? { variant } : {}),
            });
            onChanged();
          }}
        >
          <p>{EFFECTS[pending]}</p>
          {pending === 'promote' && (
            <div class="field">
              <label for={`${id}-variant`}>Variant to serve</label>
              <select
                id={`${id}-variant`}
                value={variant}
                required
                onChange={(event) => setVariant(event.currentTarget.value)}
              >
                <option value="" disabled>
                  Choose a variant
                </option>
                {arms.map((arm) => (
                  <option key={arm} value={arm}>
                    {arm}
                    {arm === experiment.config.control ? ' (control)' : ''}
                    {arm === suggestedWinner ? ' (winner)' : ''}
                  </option>
                ))}
              </select>
            </div>
          )}
          {pending === 'promote' && concerns.length > 0 && (
            <div class="notice notice-error promote-concerns" role="alert">
              <p>Against promoting {variant} (a reason is required):</p>
              <ul>
                {concerns.map((concern) => (
                  <li key={concern}>{concern}</li>
                ))}
              </ul>
            </div>
          )}
        </ConfirmDialog>
      )}
    </>
  );
}
