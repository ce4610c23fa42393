import { trainerConfigFromEnv } from './trainer.config';

const env = { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/hydra' };

describe('the trainer configuration', () => {
  it('takes TRAINER_THREADS as 1 or 2', () => {
    expect(trainerConfigFromEnv({ ...env, TRAINER_THREADS: '1' }).threads).toBe(1);
    expect(trainerConfigFromEnv({ ...env, TRAINER_THREADS: '2' }).threads).toBe(2);
  });

  it.each(['0', '3', 'two', ''])('refuses TRAINER_THREADS=%j, naming the variable', (threads) => {
    expect(() => trainerConfigFromEnv({ ...env, TRAINER_THREADS: threads })).toThrow(/TRAINER_THREADS/);
  });
});
