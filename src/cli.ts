import 'reflect-metadata';
import { Command, CommanderError } from 'commander';
import { registerAccountCommands } from './cli/accounts.commands';
import { registerProjectionCommands } from './cli/projections.commands';
import { ConfigError } from './shared/config/app-config';

/** `npm run cli -- …` (SPEC §10). Every command prints JSON on stdout. */
async function main(argv: string[]): Promise<void> {
  const program = new Command('renvo')
    .description('Renvo operations: accounts, API keys, projections')
    .showHelpAfterError()
    .exitOverride();
  registerAccountCommands(program);
  registerProjectionCommands(program);
  await program.parseAsync(argv);
}

main(process.argv).catch((error) => {
  if (error instanceof CommanderError) process.exit(error.exitCode);
  process.stderr.write(`renvo: ${error instanceof ConfigError ? error.message : (error?.message ?? error)}\n`);
  process.exit(error instanceof ConfigError ? 2 : 1);
});
