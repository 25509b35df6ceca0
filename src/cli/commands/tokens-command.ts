import { type Command, Option } from 'commander';
import { NAME_PATTERN } from '../../core/feature-config.js';
import { unreachable } from '../../core/unreachable.js';
import { ROLES, type Role } from '../../server/auth/permissions.js';
import { revokeApiToken } from '../../server/auth/revoke-api-token.js';
import { createTokenAuthenticator } from '../../server/auth/token-authenticator.js';
import type { Store, StoredToken } from '../../store/store.js';
import { CliError, type CliIo } from '../cli-io.js';
import { formatTable } from '../format-table.js';
import { storeUrl, withStore } from '../open-cli-store.js';

const ACTOR = 'cli';

/**
 * Adds `tokens create|list|revoke`: API tokens managed straight in the store, the way back in when the admin
 * token is lost (whoever can open the store can already change everything in it). Audited like the API's
 * token routes, with the actor `cli`.
 */
export function addTokensCommand(program: Command, io: CliIo): void {
  const tokens = program
    .command('tokens')
    .description('create, list and revoke API tokens in the store (a lost admin token is replaced here)');
  const dbOf = (command: Command) => storeUrl(command.optsWithGlobals<{ db?: string }>().db, io);
  const authOf = (store: Store) => createTokenAuthenticator({ store, clock: Date.now });

  tokens
    .command('create')
    .description('create a token and print it once (only its scrypt hash is stored)')
    .argument('<name>', 'unique among live tokens; audit entries name the token by it (token:<name>)')
    .addOption(new Option('--role <role>', 'what the token may do').choices(ROLES).makeOptionMandatory())
    .option('--reason <text>', 'why, recorded in the audit log')
    .action(async (name: string, options: { role: Role; reason?: string }, command: Command) => {
      if (!NAME_PATTERN.test(name)) {
        throw new CliError(
          `invalid <name>: "${name}" must be 1-64 letters, digits, "-", "_" or ".", starting with a letter or digit`,
        );
      }
      const issued = await withStore(dbOf(command), (store) =>
        authOf(store).issue({ name, role: options.role }, changeOf(options.reason)),
      );
      io.stdout(`created ${options.role} token ${name} (id ${issued.id}); it is shown this once:\n`);
      io.stdout(`${issued.token}\n`);
    });

  tokens
    .command('list')
    .description('list tokens: ids, names, roles and times, never secrets')
    .option('--all', 'include revoked tokens')
    .option('--json', 'print JSON')
    .action(async (options: { all?: boolean; json?: boolean }, command: Command) => {
      const list = await withStore(dbOf(command), (store) =>
        store.listTokens({ includeRevoked: options.all === true }),
      );
      if (options.json) {
        io.stdout(`${JSON.stringify(list, null, 2)}\n`);
        return;
      }
      io.stdout(
        formatTable(
          ['ID', 'NAME', 'ROLE', 'CREATED', 'LAST USED', 'REVOKED'],
          list.map((token) => [
            token.id,
            token.name,
            token.role,
            isoOf(token.createdAt),
            isoOf(token.lastUsedAt),
            isoOf(token.revokedAt),
          ]),
        ),
      );
    });

  tokens
    .command('revoke')
    .description('revoke a token at once (other servers stop accepting it within their 10 s token cache)')
    .argument('<token>', "the token's id, or the name of a live token")
    .option('--reason <text>', 'why, recorded in the audit log')
    .action(async (ref: string, options: { reason?: string }, command: Command) => {
      const token = await withStore(dbOf(command), async (store) => {
        const id = await idOf(store, ref);
        const outcome = await revokeApiToken(store, authOf(store), id, changeOf(options.reason));
        switch (outcome.result) {
          case 'revoked':
            return outcome.token;
          case 'not-found':
            throw new CliError(`token "${ref}" not found (give an id or a live token's name)`);
          case 'last-admin':
            throw new CliError(
              `token "${outcome.name}" is the last admin token; create another first: ` +
                'switchyard tokens create <name> --role admin',
            );
          default:
            return unreachable(outcome, 'token revocation');
        }
      });
      io.stdout(`revoked ${token.role} token ${token.name} (id ${token.id})\n`);
    });
}

/** The id a reference names: an id as it is, else the live token with that name. */
async function idOf(store: Store, ref: string): Promise<string> {
  if ((await store.findToken(ref)) !== undefined) return ref;
  const named = (await store.listTokens()).find((token: StoredToken) => token.name === ref);
  return named?.id ?? ref;
}

function changeOf(reason: string | undefined) {
  return reason === undefined ? { actor: ACTOR } : { actor: ACTOR, reason };
}

function isoOf(at: number | null): string {
  return at === null ? '-' : new Date(at).toISOString();
}
