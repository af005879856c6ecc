import { Global, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Command, InvalidArgumentError } from 'commander';
import { AppModule } from '../app.module';
import { loadConfig } from '../shared/config/app-config';
import { ErasureFence } from '../shared/erasure/erasure-fence';
import { EventCodecs } from '../shared/event-store/event-codec';
import { EVENT_STORE } from '../shared/event-store/event-store.port';
import { CheckpointStore } from '../shared/projections/checkpoint.store';
import { Projection } from '../shared/projections/projection';
import { ProjectionRebuild } from '../shared/projections/projection-rebuild';
import { PROJECTION_RUNNER_IDLE, PROJECTIONS } from '../shared/projections/projection-runner';
import { READ_DB } from '../shared/read-db/read-db.port';
import { progressReporter } from './rebuild-progress';

/** Keeps the CLI's own projection runner idle: the serving process keeps the live read models. */
@Global()
@Module({ providers: [{ provide: PROJECTION_RUNNER_IDLE, useValue: true }], exports: [PROJECTION_RUNNER_IDLE] })
class IdleRunnerModule {}

@Module({})
class ProjectionsCliModule {}

/**
 * Loads the app's modules without HTTP, so the CLI sees exactly the read models, codecs
 * (decryption, upcasting) and public event mappers the server has registered.
 */
async function withProjections(fn: (rebuild: ProjectionRebuild, projections: Projection[]) => Promise<unknown>) {
  const config = loadConfig();
  const app = await NestFactory.createApplicationContext(
    { module: ProjectionsCliModule, imports: [AppModule.forRoot(config), IdleRunnerModule] },
    { logger: false, abortOnError: false },
  );
  try {
    const rebuild = new ProjectionRebuild(
      app.get(EVENT_STORE),
      app.get(READ_DB),
      app.get(EventCodecs),
      app.get(CheckpointStore),
      app.get(ErasureFence),
    );
    const result = await fn(rebuild, app.get<Projection[]>(PROJECTIONS));
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  } finally {
    await app.close();
  }
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number');
  return n;
}

interface RebuildFlags {
  all?: boolean;
  batch: number;
  pause: number;
  restart?: boolean;
}

export function registerProjectionCommands(program: Command, env: NodeJS.ProcessEnv = process.env): void {
  const projections = program.command('projections').description('Inspect and rebuild read models');
  projections
    .command('status')
    .description("Each read model's checkpoint, the log's head, the lag, and any rebuild under way")
    .action(() => withProjections(async (rebuild, all) => ({ projections: await rebuild.status(all) })));

  projections
    .command('rebuild [name]')
    .description('Rebuild a read model from the log beside the live one, then swap it in (resumes a stopped rebuild)')
    .option('--all', 'rebuild every read model, one after another')
    .option('--batch <events>', 'events per transaction', positiveInt, Number(env.RENVO_REBUILD_BATCH || 500))
    .option('--pause <ms>', 'pause between batches, to spare a busy database', positiveInt, Number(env.RENVO_REBUILD_PAUSE_MS || 0))
    .option('--restart', 'discard a stopped rebuild and start again from position 0')
    .action((name: string | undefined, flags: RebuildFlags) =>
      withProjections(async (rebuild, all) => {
        if (Boolean(name) === Boolean(flags.all)) throw new Error('name one read model, or pass --all');
        const chosen = flags.all ? all : all.filter((p) => p.name === name);
        if (chosen.length === 0) throw new Error(`No such read model: ${name} (known: ${all.map((p) => p.name).join(', ')})`);
        // Ctrl-C or SIGTERM stops between batches; the next run resumes from the checkpoint.
        const stop = new AbortController();
        process.once('SIGINT', () => stop.abort()).once('SIGTERM', () => stop.abort());
        const rebuilt = [];
        for (const projection of chosen) {
          const reporter = progressReporter();
          const result = await rebuild.run(projection, {
            batchSize: Math.max(flags.batch, 1),
            pauseMs: flags.pause,
            restart: flags.restart,
            signal: stop.signal,
            onProgress: (p) => reporter.update(p),
          });
          reporter.done(result);
          rebuilt.push({
            name: projection.name,
            table: projection.table,
            resumed_from: result.resumedFrom.toString(),
            position: result.swappedAt.toString(),
            events: result.events,
            seconds: result.elapsedMs / 1000,
          });
        }
        return { rebuilt };
      }),
    );
}
