import type { LatencyBucketDto, StageLatencyDto, StatusDto } from '@hydra/contracts';
import { EVENT_TRANSPORT, type EventTransport } from '@hydra/messaging';
import { Inject, Injectable } from '@nestjs/common';
import { LABELER_API_CONFIG, type LabelerApiConfig } from '../labeler-api.config';
import { probeServiceHealth } from './service-health';
import { type Stage, STAGES, StatusRepository } from './status.repository';

/** Upper bounds of the latency buckets in ms: 1-2-5 steps from 1 ms to 1000 s, then overflow. */
export const LATENCY_BOUNDS_MS = [1, 10, 100, 1_000, 10_000, 100_000]
  .flatMap((decade) => [decade, decade * 2, decade * 5])
  .concat([1_000_000]);

const DAY_MS = 86_400_000;

/** How the pipeline is doing: stage latencies, daily volume, consumer backlogs, services' health. */
@Injectable()
export class StatusService {
  constructor(
    private readonly repository: StatusRepository,
    @Inject(EVENT_TRANSPORT) private readonly transport: EventTransport,
    @Inject(LABELER_API_CONFIG) private readonly config: LabelerApiConfig,
  ) {}

  async status(): Promise<StatusDto> {
    const now = new Date();
    const [latency, imagesPerDay, consumers, services] = await Promise.all([
      Promise.all(STAGES.map((stage) => this.stageLatency(stage, new Date(now.getTime() - DAY_MS)))),
      this.repository.imagesPerDay(new Date(now.getTime() - 365 * DAY_MS)),
      this.consumers(),
      Promise.all(
        Object.entries(this.config.serviceHealthUrls).map(([name, url]) => probeServiceHealth(name, url)),
      ),
    ]);
    return { generatedAt: now.toISOString(), latency, imagesPerDay, consumers, services };
  }

  private async stageLatency(stage: Stage, since: Date): Promise<StageLatencyDto> {
    const row = await this.repository.stageLatency(stage, since, LATENCY_BOUNDS_MS);
    const counts = new Map(row.buckets);
    // width_bucket numbers the buckets 0 (below the first bound) to bounds.length (overflow).
    const buckets: LatencyBucketDto[] = [0, ...LATENCY_BOUNDS_MS].map((fromMs, index) => ({
      fromMs,
      toMs: LATENCY_BOUNDS_MS[index] ?? null,
      count: counts.get(index) ?? 0,
    }));
    return { stage, count: row.count, p50Ms: row.p50, p99Ms: row.p99, buckets };
  }

  /** A broker that cannot be asked is reported with the reason, not as a failed page. */
  private async consumers(): Promise<StatusDto['consumers']> {
    try {
      const report = await this.transport.consumerLag();
      return { transport: report.transport, stream: report.stream, note: report.note, lag: report.consumers };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return {
        transport: 'jetstream',
        stream: null,
        note: `could not read consumer lag: ${reason}`,
        lag: [],
      };
    }
  }
}
