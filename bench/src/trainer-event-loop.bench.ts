/**
 * The trainer's event loop while a job trains Inception-v3 on its training thread: delay p50, p99
 * and max (perf_hooks.monitorEventLoopDelay) over the whole job, the trainer running in this
 * process on real PostgreSQL and NATS with a local object store.
 *   npm run trainer-event-loop --workspace=@hydra/bench -- --images 16 --epochs 1
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Subjects } from '@hydra/contracts';
import { PlotType, TrainingJob } from '@hydra/db';
import { EventPublisher } from '@hydra/messaging';
import { simulateDataset } from '@hydra/simulator';
import { labelImages, startServiceTestBed, storeImage } from '@hydra/testing';
import { createTrainerApp } from '@hydra/trainer';
import { Command } from 'commander';

const options = new Command('trainer-event-loop-bench')
  .option('--images <n>', 'labeled images of the plot type', Number, 16)
  .option('--epochs <n>', 'epochs', Number, 1)
  .option('--batch-size <n>', 'images per training step', Number, 4)
  .option('--architecture <name>', 'hydra-cnn, mobilenet-v2 or inception-v3', 'inception-v3')
  .option('--threads <n>', 'threads per training step (TRAINER_THREADS: 1 or 2)', Number, 1)
  .parse()
  .opts<{ images: number; epochs: number; batchSize: number; architecture: string; threads: 1 | 2 }>();

const PLOT = 'FCAL_occupancy';

async function main() {
  const bed = await startServiceTestBed('hydra_bench_trainer_loop');
  try {
    // Any model passes: the bench is about the trainer's responsiveness, not the model.
    await bed.db
      .getRepository(PlotType)
      .upsert({ name: PLOT, trainingGates: { minTestPerClass: 0, minBadRecall: 0, maxRegression: 1 } }, [
        'name',
      ]);
    const items = [];
    for await (const plot of simulateDataset({ plotType: PLOT, count: options.images, seed: 2026 })) {
      const image = await storeImage(bed.db, bed.store, plot, PLOT, plot.png);
      items.push({ imageId: image.id, label: plot.label });
    }
    await labelImages(bed.db, PLOT, items);
    const app = await createTrainerApp(
      {
        port: 0,
        databaseUrl: bed.databaseUrl,
        heartbeatMs: 5_000,
        staleJobMs: 600_000,
        threads: options.threads,
      },
      bed.connections(bed.store),
    );
    try {
      const jobId = randomUUID();
      const requested = {
        architecture: options.architecture as 'inception-v3',
        epochs: options.epochs,
        batchSize: options.batchSize,
      };
      await bed.db
        .getRepository(TrainingJob)
        .insert({ id: jobId, plotType: PLOT, requestedBy: 'bench', options: requested, status: 'queued' });
      const delay = monitorEventLoopDelay({ resolution: 10 });
      delay.enable();
      const started = performance.now();
      await app.get(EventPublisher).publish(Subjects.trainingRequested, {
        jobId,
        plotType: PLOT,
        requestedBy: 'bench',
        options: requested,
      });
      let job = await bed.db.getRepository(TrainingJob).findOneByOrFail({ id: jobId });
      while (job.status === 'queued' || job.status === 'running') {
        await new Promise((resolve) => setTimeout(resolve, 500));
        job = await bed.db.getRepository(TrainingJob).findOneByOrFail({ id: jobId });
      }
      delay.disable();
      const ms = (nanoseconds: number) => Number((nanoseconds / 1e6).toFixed(1));
      console.log(
        JSON.stringify(
          {
            architecture: options.architecture,
            images: options.images,
            epochs: options.epochs,
            batchSize: options.batchSize,
            job: job.status,
            error: job.error,
            seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
            eventLoopDelayMs: {
              p50: ms(delay.percentile(50)),
              p99: ms(delay.percentile(99)),
              max: ms(delay.max),
              samples: delay.count,
            },
          },
          null,
          2,
        ),
      );
    } finally {
      await app.close();
    }
  } finally {
    await bed.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
