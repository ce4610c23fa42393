import * as tf from '@tensorflow/tfjs';
import { summarize } from './stats';

/** Median milliseconds of `repeats` runs after two warm-up runs, announced on stderr. */
export async function time(what: string, run: () => unknown, repeats: number): Promise<number> {
  process.stderr.write(`    ${what}\n`);
  for (let warmUp = 0; warmUp < 2; warmUp++) await run();
  const samples: number[] = [];
  for (let repeat = 0; repeat < repeats; repeat++) {
    const started = process.hrtime.bigint();
    await run();
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return summarize(samples).p50;
}

/**
 * One Adam step on a fixed random batch of three classes, ending with a read of the loss: a GPU
 * backend only queues work until something is read. `dispose` frees the batch and optimizer.
 */
export function trainingStep(model: tf.LayersModel, batchSize: number) {
  const [height, width, channels] = model.inputs[0]?.shape.slice(1) as number[];
  const optimizer = tf.train.adam(1e-3);
  const batch = tf.randomUniform([batchSize, height as number, width as number, channels as number]);
  const labels = Array.from({ length: batchSize }, (_, index) => index % 3);
  const targets = tf.oneHot(tf.tensor1d(labels, 'int32'), 3);
  const step = async () => {
    const loss = tf.tidy(
      () =>
        optimizer.minimize(
          () =>
            tf.losses.softmaxCrossEntropy(
              targets,
              model.apply(batch, { training: true }) as tf.Tensor,
            ) as tf.Scalar,
          true,
        ) as tf.Scalar,
    );
    await loss.data();
    loss.dispose();
  };
  return { step, dispose: () => tf.dispose([optimizer, batch, targets] as never) };
}
