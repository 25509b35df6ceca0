import type { Command } from 'commander';
import { resolveAlertByHand } from '../../store/resolve-alert-by-hand.js';
import type { AlertQuery, StoredAlert } from '../../store/store.js';
import { CliError, type CliIo } from '../cli-io.js';
import { formatTable } from '../format-table.js';
import { storeUrl, withStore } from '../open-cli-store.js';

/** Adds `alerts list|resolve`: the monitor's alerts with their evidence, and closing one by hand. */
export function addAlertsCommand(program: Command, io: CliIo): void {
  const alerts = program.command('alerts').description("list the guardrail monitor's alerts, or resolve one");
  const dbOf = (command: Command) => storeUrl(command.optsWithGlobals<{ db?: string }>().db, io);

  alerts
    .command('list', { isDefault: true })
    .description('alerts newest first, with the evidence of their last evaluation')
    .option('--status <status>', 'open or resolved')
    .option('--feature <key>', 'only this feature')
    .option('--limit <count>', 'most alerts to print (1 to 1000)', '50')
    .option('--json', 'print JSON')
    .action(
      async (
        options: { status?: string; feature?: string; limit: string; json?: boolean },
        command: Command,
      ) => {
        if (options.status !== undefined && options.status !== 'open' && options.status !== 'resolved') {
          throw new CliError(`invalid --status: "${options.status}" is not open or resolved`);
        }
        const limit = Number(options.limit);
        if (!Number.isInteger(limit) || limit < 1 || limit > 1_000) {
          throw new CliError(`invalid --limit: "${options.limit}" is not a whole number from 1 to 1000`);
        }
        const query: AlertQuery = {
          limit,
          ...(options.status === undefined ? {} : { status: options.status }),
          ...(options.feature === undefined ? {} : { feature: options.feature }),
        };
        const page = await withStore(dbOf(command), (store) => store.listAlerts(query));
        if (options.json) {
          io.stdout(`${JSON.stringify(page.alerts, null, 2)}\n`);
          return;
        }
        if (page.alerts.length === 0) {
          io.stdout('no alerts\n');
          return;
        }
        io.stdout(
          formatTable(
            ['OPENED', 'STATUS', 'SEVERITY', 'FEATURE', 'VARIANT', 'RULE', 'ACTION', 'EVIDENCE'],
            page.alerts.map((alert) => [
              new Date(alert.openedAt).toISOString(),
              alert.status,
              alert.severity,
              alert.feature,
              alert.variant ?? 'all',
              alert.ruleId,
              alert.action,
              summarise(alert),
            ]),
          ),
        );
      },
    );

  alerts
    .command('resolve')
    .description('close an open alert by hand (audited); its rule opens a new one if it fires again')
    .argument('<id>', 'alert id')
    .option('--reason <text>', 'why, recorded in the audit log')
    .action(async (id: string, options: { reason?: string }, command: Command) => {
      const change =
        options.reason === undefined ? { actor: 'cli' } : { actor: 'cli', reason: options.reason };
      const alert = await withStore(dbOf(command), (store) =>
        resolveAlertByHand(store, id, change, Date.now()),
      );
      if (alert === undefined) throw new CliError(`alert "${id}" not found`, 1);
      io.stdout(`alert ${id} is ${alert.status}\n`);
    });
}

/** The few evidence fields an operator reads first. */
function summarise(alert: StoredAlert): string {
  const evidence = alert.evidence;
  const number = (value: unknown) => (typeof value === 'number' ? Number(value.toPrecision(3)) : 'n/a');
  if (evidence.kind === 'relative') {
    const samples = evidence.samples as { control?: number; treatment?: number } | undefined;
    return `${alert.metric} ${number(evidence.treatmentValue)} vs ${number(evidence.controlValue)} (p ${number(evidence.pValue)}, n ${samples?.treatment ?? 0}/${samples?.control ?? 0})`;
  }
  return `${alert.metric} ${number(evidence.value)} ${String(evidence.comparator ?? '')} ${number(evidence.threshold)} (n ${String(evidence.samples ?? 0)})`;
}
