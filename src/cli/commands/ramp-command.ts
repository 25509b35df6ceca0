import type { Command } from 'commander';
import {
  changeRamp,
  RAMP_COMMANDS,
  type RampCommand,
  requireRamp,
} from '../../control/ramps/feature-ramp.js';
import { rampCoverage } from '../../core/ramp-config.js';
import { CliError, type CliIo } from '../cli-io.js';
import { withStore } from '../open-cli-store.js';

const ACTIONS = ['status', ...RAMP_COMMANDS] as const;

/** Adds `features ramp <key> status|pause|resume` under the `features` command. */
export function addRampCommand(features: Command, io: CliIo, dbOf: (command: Command) => string): void {
  features
    .command('ramp')
    .description(
      "show, pause or resume a feature's staged rollout; resume restarts a rolled-back ramp from its first " +
        'step (enable the feature to lift the kill the rollback wrote)',
    )
    .argument('<key>', 'feature key')
    .argument('[action]', `one of ${ACTIONS.join(', ')}`, 'status')
    .option('--reason <text>', 'why, recorded in the audit log (pause and resume)')
    .option('--json', 'print the ramp as JSON')
    .action(
      async (key: string, action: string, options: { reason?: string; json?: boolean }, command: Command) => {
        if (!(ACTIONS as readonly string[]).includes(action)) {
          throw new CliError(`invalid action "${action}": must be one of ${ACTIONS.join(', ')}`);
        }
        const located = await withStore(dbOf(command), async (store) => {
          if (action !== 'status') {
            const change = {
              actor: 'cli',
              now: Date.now(),
              ...(options.reason === undefined ? {} : { reason: options.reason }),
            };
            await changeRamp(store, key, action as RampCommand, change);
          }
          return (await requireRamp(store, key)).located;
        });
        const { ramp } = located;
        if (options.json) {
          io.stdout(
            `${JSON.stringify({ feature: key, rule: located.id, ...ramp, coverage: rampCoverage(ramp) }, null, 2)}\n`,
          );
          return;
        }
        const coverage = `${Math.round(rampCoverage(ramp) * 1000) / 10} %`;
        const lines = [
          `${key}: ramp on rule "${located.id}" is ${ramp.status}, step ${ramp.step + 1} of ${ramp.steps.length} (coverage ${coverage})`,
          `steps: ${ramp.steps.map((step) => `${step} %`).join(' -> ')}; each at least ${ramp.minMinutesPerStep} min and ${ramp.minSamplesPerStep} runs`,
          ...(ramp.stepStartedAt === undefined
            ? ['not started: the monitor starts it on its next pass']
            : [`step began ${new Date(ramp.stepStartedAt).toISOString()}`]),
          ...(ramp.reason === undefined ? [] : [`reason: ${ramp.reason}`]),
        ];
        io.stdout(`${lines.join('\n')}\n`);
      },
    );
}
