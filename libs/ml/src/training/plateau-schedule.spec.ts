import * as tf from '@tensorflow/tfjs';
import { initialiseBackend } from '../backend/tensorflow-backend';
import { PlateauSchedule, setLearningRate } from './plateau-schedule';

describe('PlateauSchedule', () => {
  beforeAll(() => initialiseBackend('wasm'));

  it('decays the rate after `patience` epochs without a better validation loss, down to its floor', () => {
    const schedule = new PlateauSchedule(0.01, { factor: 0.5, patience: 2, minLearningRate: 0.003 }, 0.01);
    // 0.995 and 0.79 are no better than the best by minDelta: plateau epochs.
    const rates = [1, 0.8, 0.995, 0.79, 0.7, 0.71, 0.72, 0.73, 0.74, 0.75].map((loss) => schedule.next(loss));
    expect(rates).toEqual([0.01, 0.01, 0.01, 0.005, 0.005, 0.005, 0.003, 0.003, 0.003, 0.003]);
    expect(schedule.learningRate).toBe(0.003);
  });

  it('sets the rate Adam and momentum SGD step with', () => {
    const variable = tf.variable(tf.scalar(0));
    const stepOf = (optimizer: tf.Optimizer) => {
      variable.assign(tf.scalar(0));
      optimizer.applyGradients({ [variable.name]: tf.scalar(1) });
      return variable.dataSync()[0] as number;
    };
    const adam = tf.train.adam(0.1);
    setLearningRate(adam, 0.01);
    // Adam's first step moves by the rate, whatever the gradient's size.
    expect(stepOf(adam)).toBeCloseTo(-0.01, 4);
    const momentum = tf.train.momentum(0.1, 0.9);
    setLearningRate(momentum, 0.02);
    expect(stepOf(momentum)).toBeCloseTo(-0.02, 6);
    tf.dispose([variable]);
    adam.dispose();
    momentum.dispose();
  });
});
