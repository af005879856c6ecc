import { SingleFlight } from './single-flight';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('SingleFlight', () => {
  it('never overlaps passes, and turns any number of wake-ups during a pass into one more', async () => {
    let active = 0;
    let maxActive = 0;
    let passes = 0;
    let release!: () => void;
    const flight = new SingleFlight(async () => {
      passes++;
      maxActive = Math.max(maxActive, ++active);
      await new Promise<void>((resolve) => (release = resolve));
      active--;
    });
    flight.wake();
    flight.wake();
    flight.wake();
    release();
    await tick();
    release();
    await tick();
    expect(passes).toBe(2);
    expect(maxActive).toBe(1);
  });

  it('runs an exclusive task between passes and defers wake-ups to after it', async () => {
    const log: string[] = [];
    const flight = new SingleFlight(async () => {
      log.push('pass');
    });
    const result = flight.exclusive(async () => {
      flight.wake();
      await tick();
      log.push('exclusive');
      return 42;
    });
    expect(await result).toBe(42);
    await tick();
    expect(log).toEqual(['exclusive', 'pass']);
  });

  it('calls afterIdle when a pass ends with nothing pending, and nothing after stop', async () => {
    let idle = 0;
    const flight = new SingleFlight(async () => undefined, () => idle++);
    flight.wake();
    await tick();
    expect(idle).toBe(1);
    await flight.stop();
    flight.wake();
    await tick();
    expect(idle).toBe(1);
  });
});
