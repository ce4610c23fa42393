import { createTestDatabase, type TestDatabase } from '@hydra/db/testing';
import { createProgram } from '../program';

describe('hydra migrate', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('hydra_cli');
  });
  afterAll(() => database.drop());

  const run = async (env: NodeJS.ProcessEnv) => {
    const lines: string[] = [];
    await createProgram({
      env,
      print: (line) => lines.push(line),
      error: (line) => lines.push(line),
      readStdin: async () => '',
    }).parseAsync(['node', 'hydra', 'migrate']);
    return lines.join('\n');
  };

  it('applies the migrations, then reports the database up to date', async () => {
    expect(await run({ DATABASE_URL: database.url })).toMatch(
      /^applied \d+ migration\(s\):\n {2}InitialSchema/,
    );
    expect(await run({ DATABASE_URL: database.url })).toBe('database is up to date');
  });

  it('names the missing variable', async () => {
    await expect(run({})).rejects.toThrow('DATABASE_URL: is not set');
  });
});
