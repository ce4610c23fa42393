import { createHash, randomUUID } from 'node:crypto';
import { Alarm, Classification, Explanation, Image, Model, PlotType } from '@hydra/db';
import type { DataSource } from 'typeorm';

/** Rows for the monitoring endpoints' tests, written straight to the tables with chosen times. */
export class MonitoringFixtures {
  constructor(private readonly db: DataSource) {}

  async plotType(
    name: string,
    settings: Partial<Pick<PlotType, 'groupName' | 'hidden'>> = {},
  ): Promise<void> {
    await this.db.getRepository(PlotType).upsert({ name, ...settings }, ['name']);
  }

  async model(plotType: string): Promise<string> {
    const id = randomUUID();
    await this.db.getRepository(Model).insert({
      id,
      plotType,
      architecture: 'hydra-cnn',
      status: 'candidate',
      labels: ['Good', 'Bad', 'NoData'],
      inputShape: [64, 64, 1],
      artifactPrefix: `models/${plotType}/${id}/`,
      trainedBy: 'test',
    });
    return id;
  }

  async image(
    plotType: string,
    fields: { capturedAt: Date; ingestedAt?: Date; runNumber?: number; chunk?: number | null },
  ): Promise<string> {
    const id = randomUUID();
    const sha256 = createHash('sha256').update(id).digest('hex');
    await this.db.getRepository(Image).insert({
      id,
      plotType,
      runPeriod: '2026-01',
      runNumber: fields.runNumber ?? 1,
      chunk: fields.chunk ?? null,
      pad: null,
      capturedAt: fields.capturedAt,
      ingestedAt: fields.ingestedAt ?? fields.capturedAt,
      sha256,
      storageKey: `images/${plotType}/${fields.runNumber ?? 1}/${sha256}.png`,
      sizeBytes: 100,
      width: 64,
      height: 64,
    });
    return id;
  }

  async verdict(
    imageId: string,
    fields: {
      modelId?: string | null;
      verdict: string;
      confirmed?: boolean;
      outputs?: Record<string, number>;
      classifiedAt: Date;
    },
  ): Promise<void> {
    const outputs = fields.outputs ?? { [fields.verdict]: 0.9 };
    await this.db.getRepository(Classification).insert({
      imageId,
      modelId: fields.modelId ?? null,
      verdict: fields.verdict,
      confidence: outputs[fields.verdict] ?? 0.9,
      outputs,
      thresholds: {},
      confirmed: fields.confirmed ?? true,
      latencyMs: 5,
      classifiedAt: fields.classifiedAt,
    });
  }

  async explanation(imageId: string, modelId: string, createdAt: Date): Promise<void> {
    await this.db.getRepository(Explanation).insert({
      imageId,
      modelId,
      heatmapKey: `heatmaps/${imageId}/${modelId}.png`,
      computeMs: 50,
      createdAt,
    });
  }

  async alarm(
    plotType: string,
    fields: Pick<Alarm, 'alarmId' | 'event' | 'state' | 'since' | 'occurredAt'> &
      Partial<Pick<Alarm, 'by' | 'reason' | 'shelvedUntil' | 'severity'>>,
  ): Promise<void> {
    await this.db.getRepository(Alarm).insert({
      plotType,
      severity: 'major',
      imageId: null,
      verdict: null,
      confidence: null,
      by: null,
      reason: null,
      shelvedUntil: null,
      ...fields,
    });
  }
}

/** `seconds` before now. */
export const ago = (seconds: number) => new Date(Date.now() - seconds * 1000);
