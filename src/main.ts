import 'reflect-metadata';
import { createApp } from './app.factory';
import { AccountsRepository } from './shared/auth/accounts.repository';
import { ConfigError, loadConfig } from './shared/config/app-config';

/** SPEC §10: with no settings, runs on ./data and, on first start, prints one key. */
async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApp(config);
  const accounts = app.get(AccountsRepository);
  if ((await accounts.countAccounts()) === 0) {
    const account = await accounts.createAccount('Default account');
    const key = await accounts.createKey(account.id, 'test', 'read_write');
    process.stdout.write(
      `\nFirst start: created account ${account.id} with a test-mode read_write key:\n\n  ${key.secret}\n\n` +
        `Try: curl -H "Authorization: Bearer ${key.secret}" http://localhost:${config.port}/v1/customers\n\n`,
    );
  }
  // SIGTERM drains: Fastify stops accepting, in-flight requests finish, the projection runner
  // stops after its batch, stores close, and the process exits 0.
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  await app.listen(config.port, '0.0.0.0');
}

main().catch((error) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`renvo: ${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`renvo: failed to start: ${error?.stack ?? error}\n`);
  process.exit(1);
});
