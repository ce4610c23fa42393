/**
 * Push-button training end to end: labeler-api and trainer as processes, N labeled simulated plots,
 * time from "Train" to a validated candidate for each architecture asked for.
 *   npm run bench:training -- --images 1000 --runs hydra-cnn,mobilenet-v2:96x128:0.5
 */
import { randomUUID } from 'node:crypto';
import { Model } from '@hydra/db';
import { waitFor } from '@hydra/messaging/testing';
import { simulateDataset } from '@hydra/simulator';
import { startHydraProcesses, storeImage } from '@hydra/testing';
import { Command } from 'commander';

const options = new Command('training-bench')
  .option('--images <n>', 'labeled images of the plot type', Number, 1000)
  .option(
    '--runs <list>',
    'architecture[:HEIGHTxWIDTH[:alpha]], comma-separated; the size defaults to the architecture’s',
    'hydra-cnn,mobilenet-v2:96x128:0.5',
  )
  .option('--epochs <n>', 'most epochs (early stopping may end sooner)', Number, 20)
  .parse()
  .opts<{ images: number; runs: string; epochs: number }>();

const PLOT = 'FCAL_occupancy';

function parseRun(spec: string) {
  const [architecture, size, alpha] = spec.split(':');
  const [height, width] = size ? size.split('x').map(Number) : [];
  return {
    architecture,
    ...(height && width && { input: { height, width } }),
    ...(alpha && { widthMultiplier: Number(alpha) }),
  };
}

async function main() {
  console.log('starting a database, labeler-api and trainer processes…');
  const hydra = await startHydraProcesses({
    scripts: {
      trainer: require.resolve('@hydra/trainer/dist/main.js'),
      'labeler-api': require.resolve('@hydra/labeler-api/dist/main.js'),
    },
    plotType: PLOT,
    thresholds: { Good: 0.5, Bad: 0.5, NoData: 0.5 },
    store: 'local',
  });
  const api = hydra.services['labeler-api']?.url as string;
  // An admin may label and train every plot type without per-plot-type grants.
  const token = await hydra.apiToken('bench', 'admin');
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${api}/api${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as { id: string };
  };
  try {
    let items: { imageId: string; label: string }[] = [];
    for await (const plot of simulateDataset({ plotType: PLOT, count: options.images, seed: 2026 })) {
      const image = await storeImage(hydra.db, hydra.store, plot, PLOT, plot.png);
      items.push({ imageId: image.id, label: plot.label });
      if (items.length === 500) {
        await post(`/plot-types/${PLOT}/labels`, { batchId: randomUUID(), items });
        items = [];
      }
    }
    if (items.length) await post(`/plot-types/${PLOT}/labels`, { batchId: randomUUID(), items });
    console.log(`${options.images} labeled images stored`);

    const rows = [];
    for (const spec of options.runs.split(',')) {
      const run = parseRun(spec);
      const started = performance.now();
      const job = await post(`/plot-types/${PLOT}/training`, {
        options: { ...run, epochs: options.epochs },
      });
      let reported = 0;
      await waitFor(
        () => {
          const progress = hydra.events.of('training.progress').filter((event) => event.jobId === job.id);
          for (const event of progress.slice(reported)) {
            if (event.epoch !== null)
              console.log(
                `  ${spec} epoch ${event.epoch}/${event.totalEpochs}: loss ${Number(event.loss).toFixed(3)}, val accuracy ${Number(event.valAccuracy).toFixed(3)}, ETA ${Number(event.etaS).toFixed(0)} s`,
              );
            else console.log(`  ${spec}: ${event.phase}`);
          }
          reported = progress.length;
          return hydra.events.of('model.trained').some((event) => event.jobId === job.id);
        },
        `${spec} to finish`,
        6 * 3600_000,
      );
      const trained = hydra.events.of('model.trained').find((event) => event.jobId === job.id) as {
        modelId: string;
        status: string;
        metrics: { accuracy: number; testImages: number };
      };
      const { serving } = (await hydra.db.getRepository(Model).findOneByOrFail({ id: trained.modelId }))
        .metrics as {
        serving: { precision: string; int8: { msPerImage: { float32: number; int8: number } } };
      };
      const epochs = hydra.events
        .of('training.progress')
        .filter((event) => event.jobId === job.id && event.epoch !== null).length;
      const row = {
        spec,
        seconds: (performance.now() - started) / 1000,
        epochs,
        status: trained.status,
        accuracy: trained.metrics.accuracy,
        testImages: trained.metrics.testImages,
        serving: serving.precision,
        onnxMs: serving.int8?.msPerImage,
      };
      rows.push(row);
      console.log(`  ${JSON.stringify(row)}`);
    }
    console.log(`\n"Train" → validated candidate, ${options.images} labeled images (70/15/15 split)`);
    console.log(
      '| model | epochs run | seconds | status | test accuracy (images) | serves | ONNX ms/image float32 / int8 (batch 32) |',
    );
    console.log('| --- | --- | --- | --- | --- | --- | --- |');
    for (const row of rows) {
      const onnx = row.onnxMs ? `${row.onnxMs.float32.toFixed(2)} / ${row.onnxMs.int8.toFixed(2)}` : '—';
      console.log(
        `| ${row.spec} | ${row.epochs} | ${row.seconds.toFixed(0)} | ${row.status} | ${row.accuracy.toFixed(3)} (${row.testImages}) | ${row.serving} | ${onnx} |`,
      );
    }
  } finally {
    await hydra.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
