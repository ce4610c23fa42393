import { SingleBar } from 'cli-progress';
import type { HydraApi } from '../api/hydra-api';
import { CliError } from '../api/hydra-api';
import type { CliContext } from '../cli-context';

interface JobView {
  status: string;
  error: string | null;
  progress: {
    phase?: string;
    epoch?: number | null;
    totalEpochs?: number;
    loss?: number;
    valAccuracy?: number;
    etaS?: number;
    fold?: number | null;
    totalFolds?: number | null;
    candidate?: number | null;
    totalCandidates?: number | null;
  } | null;
}

const POLL_MS = 1_000;

/** Follows a training job until it ends, drawing its epochs as a progress bar; fails unless it succeeded. */
export async function followTraining(api: HydraApi, jobId: string, context: CliContext): Promise<void> {
  const bar = new SingleBar({
    format:
      'epoch {value}/{total} [{bar}] loss {loss} · val accuracy {accuracy} · ETA {eta_formatted} · {phase}',
    stream: process.stderr,
    noTTYOutput: true,
    notTTYSchedule: 10_000,
  });
  let started = false;
  for (;;) {
    const job = await api.get<JobView>(`/training-jobs/${jobId}`);
    const progress = job.progress ?? {};
    const payload = {
      loss: progress.loss?.toFixed(3) ?? '–',
      accuracy: progress.valAccuracy?.toFixed(3) ?? '–',
      phase: phaseText(progress.phase ?? job.status, progress),
    };
    if (progress.totalEpochs && !started) {
      bar.start(progress.totalEpochs, progress.epoch ?? 0, payload);
      started = true;
    } else if (started) bar.update(progress.epoch ?? 0, payload);
    if (!['queued', 'running'].includes(job.status)) {
      if (started) bar.stop();
      if (job.status !== 'succeeded')
        throw new CliError(`training job ${jobId} ${job.status}: ${job.error ?? 'no reason given'}`);
      context.print(`training job ${jobId} succeeded`);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** "training, candidate 2/2", "cross-validating, fold 3/5": which model the epochs are of. */
export function phaseText(phase: string, progress: NonNullable<JobView['progress']>): string {
  if (phase === 'training' && progress.candidate && progress.totalCandidates)
    return `${phase}, candidate ${progress.candidate}/${progress.totalCandidates}`;
  if (phase === 'cross-validating' && progress.fold && progress.totalFolds)
    return `${phase}, fold ${progress.fold}/${progress.totalFolds}`;
  return phase;
}
