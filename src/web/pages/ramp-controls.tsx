import { useState } from 'preact/hooks';
import type { RampConfig, StoredFeature } from '../api-types.js';
import { ConfirmDialog } from '../components/confirm-dialog.js';
import { formatNumber, formatTime } from '../formatters.js';
import { rampLabel } from '../ramp-label.js';
import { useSession } from '../session-context.js';

/** A split rule's ramp: where it is, its plan, and pause or resume buttons for editors. */
export function RampControls({
  feature,
  ramp,
  onChanged,
}: {
  feature: StoredFeature;
  ramp: RampConfig;
  onChanged: () => void;
}) {
  const { api, canEdit } = useSession();
  const [pending, setPending] = useState<'pause' | 'resume' | undefined>();
  const action: 'pause' | 'resume' | undefined =
    ramp.status === 'running' ? 'pause' : ramp.status === 'done' ? undefined : 'resume';
  return (
    <section class="ramp" aria-label="Ramp">
      <p class="ramp-label">
        <strong>{rampLabel(ramp)}</strong>
      </p>
      <p class="muted">
        Steps {ramp.steps.map((step) => `${formatNumber(step, 2)} %`).join(' → ')}; at least{' '}
        {formatNumber(ramp.minMinutesPerStep)} min and {formatNumber(ramp.minSamplesPerStep, 0)} runs per
        step.
        {ramp.stepStartedAt !== undefined && ` This step began ${formatTime(ramp.stepStartedAt)}.`}
      </p>
      {ramp.reason && <p>Reason: {ramp.reason}</p>}
      {canEdit && action !== undefined && (
        <button type="button" onClick={() => setPending(action)}>
          {action === 'pause' ? 'Pause ramp' : 'Resume ramp'}
        </button>
      )}
      {pending !== undefined && (
        <ConfirmDialog
          key={pending}
          title={
            pending === 'pause' ? `Pause the ramp of ${feature.key}?` : `Resume the ramp of ${feature.key}?`
          }
          confirmLabel={pending === 'pause' ? 'Pause ramp' : 'Resume ramp'}
          reason="optional"
          onClose={() => setPending(undefined)}
          onConfirm={async (reason) => {
            await api.send(
              'POST',
              `/api/features/${encodeURIComponent(feature.key)}/ramp/${pending}`,
              reason === undefined ? {} : { reason },
            );
            onChanged();
          }}
        >
          <p>
            {pending === 'pause'
              ? 'The ramp holds its current step until resumed.'
              : 'The ramp goes on from its step (a rolled-back ramp starts again).'}
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
