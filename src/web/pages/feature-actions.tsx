import { useState } from 'preact/hooks';
import type { StoredFeature, SwitchResult } from '../api-types.js';
import { ConfirmDialog } from '../components/confirm-dialog.js';
import { featureState } from '../feature-summary.js';
import { useSession } from '../session-context.js';

type SwitchAction = 'enable' | 'disable' | 'kill';

const ACTIONS: Readonly<Record<SwitchAction, { label: string; title: string; effect: string }>> = {
  kill: {
    label: 'Kill',
    title: 'Kill',
    effect:
      'everyone gets the default variant at once (reason KILLED), overrides included, until someone enables it again.',
  },
  disable: {
    label: 'Disable',
    title: 'Disable',
    effect: 'the master switch goes off: everyone gets the default variant (reason DISABLED).',
  },
  enable: {
    label: 'Enable',
    title: 'Enable',
    effect: 'the master switch goes on and any kill is lifted: the rules serve again.',
  },
};

/** Enable, disable and kill buttons for editors, each confirmed in a dialog with a required reason. */
export function FeatureActions({ feature, onChanged }: { feature: StoredFeature; onChanged: () => void }) {
  const { api, canEdit } = useSession();
  const [pending, setPending] = useState<SwitchAction | undefined>();
  if (!canEdit) return null;
  const state = featureState(feature.config);
  const available: SwitchAction[] =
    state === 'enabled' ? ['disable', 'kill'] : state === 'disabled' ? ['enable', 'kill'] : ['enable'];
  const action = pending === undefined ? undefined : ACTIONS[pending];
  return (
    <>
      <fieldset class="actions">
        <legend class="visually-hidden">Feature switches</legend>
        {available.map((name) => (
          <button
            key={name}
            type="button"
            class={name === 'kill' ? 'button-danger' : undefined}
            onClick={() => setPending(name)}
          >
            {ACTIONS[name].label}
          </button>
        ))}
      </fieldset>
      {pending !== undefined && action !== undefined && (
        <ConfirmDialog
          key={pending}
          title={`${action.title} ${feature.key}?`}
          confirmLabel={`${action.label} ${feature.key}`}
          reason="required"
          danger={pending === 'kill'}
          onClose={() => setPending(undefined)}
          onConfirm={async (reason) => {
            await api.send<SwitchResult>(
              'POST',
              `/api/features/${encodeURIComponent(feature.key)}/${pending}`,
              { reason, version: feature.version },
            );
            onChanged();
          }}
        >
          <p>
            When confirmed, {action.effect} The default variant is{' '}
            <code>{feature.config.defaultVariant}</code>.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}
