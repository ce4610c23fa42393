import { ConcurrencyLimit } from './concurrency-limit';

describe('ConcurrencyLimit', () => {
  it('runs no more than its limit at once and every task in the end, failed ones included', async () => {
    const limit = new ConcurrencyLimit(2);
    let running = 0;
    let most = 0;
    const releases: (() => void)[] = [];
    const task = (fail: boolean) => async () => {
      running++;
      most = Math.max(most, running);
      await new Promise<void>((release) => releases.push(release));
      running--;
      if (fail) throw new Error('decode failed');
      return 'done';
    };
    const results = Promise.allSettled(
      [true, false, false, true, false].map((fail) => limit.run(task(fail))),
    );
    while (releases.length || running) {
      await new Promise((resolve) => setImmediate(resolve));
      releases.shift()?.();
    }
    expect(most).toBe(2);
    expect((await results).map((result) => result.status)).toEqual([
      'rejected',
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
    ]);
  });
});
