import { Presets, SingleBar } from 'cli-progress';
import { RebuildProgress } from '../shared/projections/projection-rebuild';

export interface ProgressReporter {
  update(progress: RebuildProgress): void;
  done(progress: RebuildProgress): void;
}

const LINE_EVERY_MS = 1000;

/**
 * Progress on stderr, so stdout stays the command's JSON result. Counts are log positions:
 * on the embedded and PostgreSQL stores a position is one event, so done/total are events.
 */
export function progressReporter(stream: NodeJS.WriteStream = process.stderr): ProgressReporter {
  return stream.isTTY ? barReporter(stream) : lineReporter(stream);
}

function rates(p: RebuildProgress) {
  const seconds = Math.max(p.elapsedMs, 1) / 1000;
  const perSecond = Number(p.position - p.resumedFrom) / seconds;
  const remaining = Number(p.head > p.position ? p.head - p.position : 0n);
  return {
    rate: Math.round(p.events / seconds),
    eta: perSecond > 0 ? Math.ceil(remaining / perSecond) : null,
    percent: p.head > 0n ? Math.floor((100 * Number(p.position)) / Number(p.head)) : 100,
  };
}

function barReporter(stream: NodeJS.WriteStream): ProgressReporter {
  let bar: SingleBar | null = null;
  return {
    update(p) {
      const payload = { projection: p.projection, rate: rates(p).rate };
      if (!bar) {
        bar = new SingleBar(
          {
            stream,
            format: '{projection} [{bar}] {percentage}% | {value}/{total} events | {rate} events/s | ETA {eta_formatted}',
            hideCursor: true,
            etaBuffer: 20,
          },
          Presets.shades_classic,
        );
        bar.start(Number(p.head), Number(p.position), payload);
        return;
      }
      bar.setTotal(Number(p.head));
      bar.update(Number(p.position), payload);
    },
    done(p) {
      bar?.update(Number(p.position), { projection: p.projection, rate: rates(p).rate });
      bar?.stop();
      bar = null;
    },
  };
}

function lineReporter(stream: NodeJS.WriteStream): ProgressReporter {
  let last = 0;
  const line = (p: RebuildProgress, final: boolean) => {
    const { rate, eta, percent } = rates(p);
    const resumed = p.resumedFrom > 0n ? `, resumed at ${p.resumedFrom}` : '';
    const tail = final ? 'caught up' : `ETA ${eta === null ? '?' : `${eta}s`}`;
    stream.write(`rebuild ${p.projection}: ${p.position}/${p.head} events (${percent}%), ${rate} events/s, ${tail}${resumed}\n`);
  };
  return {
    update(p) {
      if (Date.now() - last < LINE_EVERY_MS) return;
      last = Date.now();
      line(p, false);
    },
    done(p) {
      line(p, true);
      last = 0;
    },
  };
}
