import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Command } from 'commander';
import { registerTrainCommand } from './train.command';

describe('hydra train', () => {
  let server: Server;
  let url: string;
  let requests: { path: string | undefined; body: unknown }[];

  // labeler-api's training endpoint as far as the command needs it: it queues whatever it is sent.
  beforeAll(async () => {
    server = createServer((request, response) => {
      let text = '';
      request.on('data', (chunk: Buffer) => (text += chunk.toString()));
      request.on('end', () => {
        requests.push({ path: request.url, body: JSON.parse(text) });
        response.writeHead(201, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ id: 'job-1', status: 'queued' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  beforeEach(() => (requests = []));
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const train = async (...args: string[]) => {
    const lines: string[] = [];
    const context = {
      env: { HYDRA_URL: url, HYDRA_TOKEN: 'hydra_test' },
      print: (line: string) => lines.push(line),
      error: (line: string) => lines.push(line),
      readStdin: async () => '',
    };
    const program = new Command('hydra').exitOverride().configureOutput({ writeErr: () => undefined });
    registerTrainCommand(program, context);
    for (const command of program.commands)
      command.exitOverride().configureOutput({ writeErr: () => undefined });
    await program.parseAsync(['node', 'hydra', 'train', 'FCAL_occupancy', ...args]);
    return lines.join('\n');
  };

  it('sends --start-from as options.startFrom', async () => {
    expect(await train('--start-from', 'scratch', '--epochs', '5')).toBe(
      'training job job-1 queued for FCAL_occupancy',
    );
    expect(requests).toEqual([
      {
        path: '/api/plot-types/FCAL_occupancy/training',
        body: { options: { epochs: 5, startFrom: 'scratch' } },
      },
    ]);
  });

  it('leaves startFrom to the server when it is not given', async () => {
    await train('--architecture', 'hydra-cnn');
    expect(requests[0]?.body).toEqual({ options: { architecture: 'hydra-cnn' } });
  });

  it('sends --median-residual as a number, 0 (off) included, and refuses an even window', async () => {
    await train('--median-residual', '0');
    await train('--median-residual', '7');
    expect(requests.map((request) => request.body)).toEqual([
      { options: { medianResidual: 0 } },
      { options: { medianResidual: 7 } },
    ]);
    await expect(train('--median-residual', '4')).rejects.toThrow(/Allowed choices are 0, 3, 5, 7, 9/);
    expect(requests).toHaveLength(2);
  });

  it('refuses a start other than base or scratch before asking the server', async () => {
    await expect(train('--start-from', 'parent')).rejects.toThrow(/Allowed choices are base, scratch/);
    expect(requests).toEqual([]);
  });
});
