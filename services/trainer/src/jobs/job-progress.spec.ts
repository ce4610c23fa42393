import type { EventPublisher } from '@hydra/messaging';
import type { Logger } from '@nestjs/common';
import { JobProgress } from './job-progress';

const JOB = '6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b';

function publisher(fail: (phase: string) => boolean) {
  const published: string[] = [];
  const events = {
    publish: jest.fn(async (_subject: string, input: { phase: string }) => {
      await new Promise((resolve) => setTimeout(resolve, input.phase === 'preparing' ? 20 : 0));
      if (fail(input.phase)) throw new Error('TimeoutError: no answer from the broker');
      published.push(input.phase);
      return { ...input, id: JOB };
    }),
  } as unknown as EventPublisher;
  return { events, published };
}

describe('job progress', () => {
  it('publishes events in the order they happen, even when an earlier one is slower', async () => {
    const { events, published } = publisher(() => false);
    const progress = new JobProgress(JOB, events, { warn: jest.fn() } as unknown as Logger);
    progress.report('preparing');
    await progress.publish('training');
    expect(published).toEqual(['preparing', 'training']);
    expect(progress.latest).toMatchObject({ phase: 'training' });
  });

  it('logs an event nobody waits on that cannot be published, leaving no rejection unhandled', async () => {
    const unhandled = jest.fn();
    process.on('unhandledRejection', unhandled);
    try {
      const { events, published } = publisher((phase) => phase === 'training');
      const warn = jest.fn();
      const progress = new JobProgress(JOB, events, { warn } as unknown as Logger);
      progress.report('training');
      await progress.publish('validating');
      await new Promise((resolve) => setImmediate(resolve));
      expect(warn).toHaveBeenCalledWith(
        `progress of job ${JOB} (training) not published: TimeoutError: no answer from the broker`,
      );
      expect(published).toEqual(['validating']);
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });

  it('rejects an event the caller waits on when it cannot be published', async () => {
    const { events } = publisher((phase) => phase === 'done');
    const progress = new JobProgress(JOB, events, { warn: jest.fn() } as unknown as Logger);
    await expect(progress.publish('done')).rejects.toThrow('no answer from the broker');
  });
});
