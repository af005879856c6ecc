import { Command, InvalidArgumentError, Option } from 'commander';
import { AccountsRepository, KeyScope, Mode } from '../shared/auth/accounts.repository';
import { loadConfig } from '../shared/config/app-config';
import { openReadDb } from '../shared/persistence/stores.factory';
import { ReadDb } from '../shared/read-db/read-db.port';

/** Runs `fn` with the configured read database (accounts and keys live there). */
async function withAccounts<T>(fn: (accounts: AccountsRepository) => Promise<T>): Promise<void> {
  const db: ReadDb = await openReadDb(loadConfig());
  try {
    const result = await fn(new AccountsRepository(db));
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  } finally {
    await db.close();
  }
}

function nonEmpty(value: string): string {
  if (!value.trim()) throw new InvalidArgumentError('must not be empty');
  return value;
}

export function registerAccountCommands(program: Command): void {
  const accounts = program.command('accounts').description('Manage accounts');
  accounts
    .command('create')
    .description('Create an account with a key for each mode and scope')
    .requiredOption('--name <name>', 'account name', nonEmpty)
    .action(({ name }: { name: string }) =>
      withAccounts(async (repo) => {
        const account = await repo.createAccount(name);
        const keys = [];
        for (const mode of ['test', 'live'] as Mode[]) {
          for (const scope of ['read_write', 'read'] as KeyScope[]) keys.push(await repo.createKey(account.id, mode, scope));
        }
        return { account, keys };
      }),
    );

  const keys = program.command('keys').description('Manage API keys');
  keys
    .command('create')
    .description('Create an API key (the secret is shown once)')
    .requiredOption('--account <id>', 'account id')
    .addOption(new Option('--mode <mode>', 'live or test').choices(['live', 'test']).makeOptionMandatory())
    .addOption(new Option('--scope <scope>', 'read or read_write').choices(['read', 'read_write']).default('read_write'))
    .action((opts: { account: string; mode: Mode; scope: KeyScope }) =>
      withAccounts(async (repo) => {
        if (!(await repo.accountExists(opts.account))) throw new Error(`No such account: ${opts.account}`);
        return { key: await repo.createKey(opts.account, opts.mode, opts.scope) };
      }),
    );
  keys
    .command('revoke <id>')
    .description('Revoke an API key at once')
    .action((id: string) =>
      withAccounts(async (repo) => {
        if (!(await repo.revokeKey(id))) throw new Error(`No such key: ${id}`);
        return { id, object: 'api_key', revoked: true };
      }),
    );
}
