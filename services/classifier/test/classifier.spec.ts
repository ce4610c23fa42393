import { randomUUID } from 'node:crypto';
import { Subjects } from '@hydra/contracts';
import { Classification, Image, imageNewPayload, Model } from '@hydra/db';
import {
  DEFAULT_GOOD_REFERENCE,
  HYDRA_CNN_GRADCAM_LAYER,
  hydraCnn,
  imageToInput,
  inputPixels,
  saveModelArtifacts,
} from '@hydra/ml';
import { TEST_MODEL } from '@hydra/ml/testing';
import { defaultJetStreamOptions, EventPublisher, JetStreamConnection } from '@hydra/messaging';
import { INTERNAL_TOKEN_HEADER } from '@hydra/service';
import { NATS_URL, waitFor } from '@hydra/messaging/testing';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { SimulatedLabel, SimulatedPlot } from '@hydra/simulator';
import type { LocalObjectStore } from '@hydra/storage';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { type DataSource, In } from 'typeorm';
import { AlarmRepository } from '../src/alarms/alarm.repository';
import { AlarmService } from '../src/alarms/alarm.service';
import { createClassifierApp } from '../src/classifier.app';
import { ClassificationRepository } from '../src/classification/classification.repository';
import {
  type PlotTypeSettings,
  PlotTypeSettingsRepository,
} from '../src/models/plot-type-settings.repository';
import {
  activate,
  confidentPlots,
  registerTestModel,
  type ServiceTestBed,
  startServiceTestBed,
  storeImage,
  verdictRow,
} from '@hydra/testing';

// Retries, back-offs and alarm sequences of several verdicts each take seconds.
jest.setTimeout(30_000);

const PLOT = 'FCAL_occupancy';
let bed: ServiceTestBed;
let db: DataSource;
let store: LocalObjectStore;
let app: NestExpressApplication;
let baseUrl: string;
let recorder: Awaited<ReturnType<ServiceTestBed['serve']>>['events'];
let modelId: string;

/** Simulated plots the test model judges right with confidence, so alarm sequences are certain. */
let confident: Record<SimulatedLabel, SimulatedPlot[]>;

/** Stores the plot as ingest would and announces it. */
async function feed(plot: SimulatedPlot, plotType = PLOT, bytes = plot.png): Promise<string> {
  const image = await storeImage(db, store, plot, plotType, bytes);
  await app.get(EventPublisher).publish(Subjects.imageNew, imageNewPayload(image));
  return image.id;
}

/** Stores a plot whose sender's clock says `capturedAt`, and announces it. */
async function feedCapturedAt(plot: SimulatedPlot, capturedAt: Date): Promise<string> {
  const image = await storeImage(db, store, plot, PLOT, plot.png);
  await db.getRepository(Image).update({ id: image.id }, { capturedAt });
  await app
    .get(EventPublisher)
    .publish(
      Subjects.imageNew,
      imageNewPayload(await db.getRepository(Image).findOneByOrFail({ id: image.id })),
    );
  return image.id;
}

/** The classifier's image.new consumer, as the broker sees it. */
async function imageNewConsumer() {
  const nats = await connect({ servers: NATS_URL });
  try {
    return await (await jetstreamManager(nats)).consumers.info(bed.namespace.stream, 'classifier__image_new');
  } finally {
    await nats.close();
  }
}

/** Every image.new published so far has been delivered and acknowledged (or dead-lettered). */
async function imageNewSettled(): Promise<boolean> {
  const consumer = await imageNewConsumer();
  return consumer.num_pending === 0 && consumer.num_ack_pending === 0;
}

async function verdictOf(imageId: string) {
  await waitFor(
    () => recorder.of('image.classified').some((event) => event.imageId === imageId),
    `verdict ${imageId}`,
  );
  return recorder.of('image.classified').find((event) => event.imageId === imageId) as Record<
    string,
    unknown
  >;
}

/** Feeds plots one after another, each judged before the next, as chunks of a run arrive; returns their ids. */
async function feedInOrder(labels: string): Promise<string[]> {
  const ids = [];
  for (const code of labels) {
    const label = ({ G: 'Good', B: 'Bad', N: 'NoData' } as const)[code as 'G' | 'B' | 'N'];
    const pool = confident[label];
    const imageId = await feed(pool[Math.floor(Math.random() * pool.length)] as SimulatedPlot);
    await verdictOf(imageId);
    ids.push(imageId);
  }
  return ids;
}

/** Stores an image of PLOT and a confirmed verdict for it directly, as a classifier (replica) does; its image id. */
async function storeVerdict(verdict: 'Good' | 'Bad'): Promise<string> {
  const plot = confident[verdict][0] as SimulatedPlot;
  const image = await storeImage(db, store, plot, PLOT, plot.png);
  const row = verdictRow(image.id, modelId, verdict, { confidence: 0.9, threshold: 0.6, confirmed: true });
  await app.get(ClassificationRepository).insert([row], [PLOT]);
  return image.id;
}

const alarmEvents = () => recorder.events.filter((event) => event.subject.startsWith('alarm.'));
const alarmLog = (from: number) =>
  alarmEvents()
    .slice(from)
    .map((event) => `${event.data.event}→${event.data.state}`);

const INTERNAL_TOKEN = 'test-internal-token-0123456789';

/** An alarm action as labeler-api forwards it (with the shared internal token), or as anyone else would. */
async function post(path: string, body: unknown, internalToken: string | null = INTERNAL_TOKEN) {
  return fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(internalToken && { [INTERNAL_TOKEN_HEADER]: internalToken }),
    },
    body: JSON.stringify(body),
  });
}

const setCondition = (beamOn: boolean, beamCurrent: number) =>
  app.get(EventPublisher).publish(Subjects.runCondition, { beamOn, beamCurrent, by: 'daq' });

beforeAll(async () => {
  bed = await startServiceTestBed('hydra_classifier');
  db = bed.db;
  store = bed.store;
  ({ modelId } = await registerTestModel(db, store, PLOT, { Good: 0.6, Bad: 0.6, NoData: 0.6 }));
  await activate(db, PLOT, modelId);
  confident = await confidentPlots(store, `models/${PLOT}/${modelId}/`, PLOT, { Good: 6, Bad: 6, NoData: 2 });
  app = await createClassifierApp(
    // The test model serves float32 by default (the e2e tests use that); here its int8 export serves.
    {
      port: 0,
      databaseUrl: bed.databaseUrl,
      maxBatch: 32,
      defaultThreshold: 0.5,
      shelfSweepMs: 200,
      onnxPrecision: 'int8',
      internalToken: INTERNAL_TOKEN,
      maxShelfMs: 24 * 3_600_000,
    },
    bed.connections(store, { delivery: { backoffMs: [50], maxDeliver: 2, ackWaitMs: 5_000 } }),
  );
  ({ url: baseUrl, events: recorder } = await bed.serve(app, '>'));
}, 300_000);

afterAll(() => bed?.stop());

describe('verdicts', () => {
  it('judges each plot with the production model, storing and publishing every class output', async () => {
    const ids = await Promise.all([
      feed(confident.Good[0] as SimulatedPlot),
      feed(confident.Bad[0] as SimulatedPlot),
      feed(confident.NoData[0] as SimulatedPlot),
    ]);
    const verdicts = await Promise.all(ids.map(verdictOf));
    expect(verdicts.map((verdict) => verdict.verdict)).toEqual(['Good', 'Bad', 'NoData']);
    for (const verdict of verdicts) {
      expect(verdict).toMatchObject({
        modelId,
        confirmed: true,
        thresholds: { Good: 0.6, Bad: 0.6, NoData: 0.6 },
      });
      expect(Object.keys(verdict.outputs as object).sort()).toEqual(['Bad', 'Good', 'NoData']);
    }
    const rows = await db.getRepository(Classification).findBy({ imageId: ids[1] });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ verdict: 'Bad', confirmed: true, modelId });
    // Hydra's keep rule: a confirmed Bad is kept for labeling, a confirmed Good (0 % sample) is not.
    expect(await db.getRepository(Image).findOneByOrFail({ id: ids[1] })).toMatchObject({
      keep: true,
      keepReason: 'confirmed-bad',
    });
    expect((await db.getRepository(Image).findOneByOrFail({ id: ids[0] })).keep).toBe(false);
    // The continuous status value Hydra feeds to EPICS: P(Good) − P(Bad).
    const outputs = verdicts[0]?.outputs as Record<string, number>;
    // Published after the verdict.
    await waitFor(
      () => recorder.of(`status.${PLOT}`).some((event) => event.imageId === ids[0]),
      'the status value',
    );
    const status = recorder.of(`status.${PLOT}`).find((event) => event.imageId === ids[0]);
    expect(status?.value).toBeCloseTo((outputs.Good as number) - (outputs.Bad as number), 6);
    expect(status?.value as number).toBeGreaterThan(0);
    const metrics = await (await fetch(`${baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/hydra_inference_seconds_count\{[^}]*engine="onnx-int8"[^}]*\} [1-9]/);
    expect(metrics).not.toMatch(/engine="onnx"/);
  });

  it('gives a plot type without a model the "no model" verdict, kept for labeling', async () => {
    const imageId = await feed(confident.Good[1] as SimulatedPlot, 'CDC_timing');
    expect(await verdictOf(imageId)).toMatchObject({
      verdict: 'NoModel',
      modelId: null,
      confirmed: false,
      keepReason: 'unconfirmed',
    });
  });

  it('stores one verdict however often image.new is delivered, even after the model changed', async () => {
    const imageId = await feed(confident.Good[2] as SimulatedPlot);
    expect(await verdictOf(imageId)).toMatchObject({ modelId });
    // Judging the redelivery again would store a second row: the unique index is per image and model.
    const other = await registerTestModel(db, store, PLOT, { Good: 1, Bad: 1, NoData: 1 });
    await activate(db, PLOT, other.modelId);
    try {
      const image = await db.getRepository(Image).findOneByOrFail({ id: imageId });
      await app.get(EventPublisher).publish(Subjects.imageNew, imageNewPayload(image));
      await waitFor(imageNewSettled, 'the second image.new to be handled');
    } finally {
      await activate(db, PLOT, modelId);
    }
    expect(await db.getRepository(Classification).findBy({ imageId })).toMatchObject([{ modelId }]);
    expect(recorder.of('image.classified').filter((event) => event.imageId === imageId)).toMatchObject([
      { modelId },
    ]);
  });

  it('swaps to a newly promoted model without a restart; a verdict under its threshold is unconfirmed and kept', async () => {
    const strict = await registerTestModel(db, store, PLOT, { Good: 1, Bad: 1, NoData: 1 });
    await activate(db, PLOT, strict.modelId);
    await app.get(EventPublisher).publish(Subjects.modelPromoted, {
      modelId: strict.modelId,
      plotType: PLOT,
      previousModelId: modelId,
      by: 'test',
    });
    const verdict = await verdictOf(await feed(confident.Good[3] as SimulatedPlot));
    expect(verdict).toMatchObject({ modelId: strict.modelId, confirmed: false, keepReason: 'unconfirmed' });
    await activate(db, PLOT, modelId);
    expect(await verdictOf(await feed(confident.Good[3] as SimulatedPlot))).toMatchObject({
      modelId,
      confirmed: true,
    });
  });

  it("judges with the model's own ignore regions: told to ignore the whole plot, it sees one blank image", async () => {
    const blind = await registerTestModel(db, store, PLOT, { Good: 0.5, Bad: 0.5, NoData: 0.5 });
    const manifestKey = `models/${PLOT}/${blind.modelId}/manifest.json`;
    const manifest = JSON.parse((await store.get(manifestKey)).toString('utf8'));
    const everything = [{ x: 0, y: 0, width: 1, height: 1 }];
    await store.put(manifestKey, Buffer.from(JSON.stringify({ ...manifest, ignoreRegions: everything })));
    await activate(db, PLOT, blind.modelId);
    try {
      const good = await verdictOf(await feed(confident.Good[4] as SimulatedPlot));
      const bad = await verdictOf(await feed(confident.Bad[4] as SimulatedPlot));
      expect(good).toMatchObject({ modelId: blind.modelId });
      expect(bad.outputs).toEqual(good.outputs);
    } finally {
      await activate(db, PLOT, modelId);
    }
  });

  it('judges with a model that compares each plot with its Good plots, read with the model', async () => {
    const referencedId = randomUUID();
    const input = { ...TEST_MODEL.input, goodReference: DEFAULT_GOOD_REFERENCE };
    const goods = await Promise.all(
      (confident.Good.slice(0, 3) as SimulatedPlot[]).map(async (plot) =>
        inputPixels(await imageToInput(plot.png, TEST_MODEL.input), TEST_MODEL.input),
      ),
    );
    const model = hydraCnn({ input, classes: TEST_MODEL.labels.length, seed: 4 });
    await saveModelArtifacts(store, `models/${PLOT}/${referencedId}/`, model, {
      architecture: 'hydra-cnn',
      labels: [...TEST_MODEL.labels],
      input,
      gradCamLayer: HYDRA_CNN_GRADCAM_LAYER(),
      heatExemplars: { label: 'Good', of: goods.length, input, pixels: goods },
    });
    model.dispose();
    await db.getRepository(Model).insert({
      id: referencedId,
      plotType: PLOT,
      architecture: 'hydra-cnn',
      status: 'candidate',
      labels: [...TEST_MODEL.labels],
      inputShape: [input.height, input.width, 6],
      artifactPrefix: `models/${PLOT}/${referencedId}/`,
      metrics: {},
      trainedBy: 'test',
    });
    await activate(db, PLOT, referencedId);
    try {
      // Without its Good plots the model could not make its input, and the image would be dead-lettered.
      const verdict = await verdictOf(await feed(confident.Bad[5] as SimulatedPlot));
      expect(verdict).toMatchObject({ modelId: referencedId });
      const outputs = Object.values(verdict.outputs as Record<string, number>);
      expect(outputs).toHaveLength(TEST_MODEL.labels.length);
      expect(outputs.reduce((sum, value) => sum + value, 0)).toBeCloseTo(1, 5);
    } finally {
      await activate(db, PLOT, modelId);
    }
  });

  it('dead-letters a message with a missing field and an image whose bytes are corrupt, and goes on', async () => {
    const corrupt = await feed(confident.Good[0] as SimulatedPlot, PLOT, Buffer.from('not a png'));
    const raw = await JetStreamConnection.open({
      ...defaultJetStreamOptions,
      ...bed.namespace,
      servers: [NATS_URL],
      connectionName: 'raw-sender',
    });
    const missingField = randomUUID();
    await raw.publish(
      Subjects.imageNew,
      JSON.stringify({ id: missingField, occurredAt: new Date().toISOString() }),
      missingField,
    );
    await raw.close();
    await waitFor(
      () => recorder.of('dlq.image.new').some((event) => event.messageId === missingField),
      'the malformed message to be dead-lettered',
    );
    expect(recorder.of('dlq.image.new').find((event) => event.messageId === missingField)?.reason).toContain(
      'imageId',
    );
    await waitFor(
      () => recorder.of('dlq.image.new').some((event) => (event.reason as string).includes(corrupt)),
      'the corrupt image to be dead-lettered',
    );
    expect(await db.getRepository(Classification).countBy({ imageId: corrupt })).toBe(0);
    expect((await verdictOf(await feed(confident.Good[4] as SimulatedPlot))).verdict).toBe('Good');
  });

  it('fails only the bad image of a batch: an image deleted before its verdict goes to the DLQ, nine are judged', async () => {
    const plots = Array.from({ length: 10 }, (_, index) => confident.Good[index % 6] as SimulatedPlot);
    const images = await Promise.all(plots.map((plot) => storeImage(db, store, plot, PLOT, plot.png)));
    const gone = images[4] as Image;
    await db.getRepository(Image).delete({ id: gone.id });
    // Published together, so they are judged in one batch.
    await Promise.all(
      images.map((image) => app.get(EventPublisher).publish(Subjects.imageNew, imageNewPayload(image))),
    );
    const others = images.filter((image) => image !== gone).map((image) => image.id);
    await Promise.all(others.map(verdictOf));
    await waitFor(
      () => recorder.of('dlq.image.new').some((event) => (event.payload as string).includes(gone.id)),
      'the deleted image to be dead-lettered',
    );
    const [letter, ...more] = recorder
      .of('dlq.image.new')
      .filter((event) => images.some((image) => (event.payload as string).includes(image.id)));
    expect(more).toEqual([]);
    expect(letter?.reason).toMatch(new RegExp(`${gone.id}.*is not present in table "image"`));
    expect(await db.getRepository(Classification).countBy({ imageId: In(others) })).toBe(9);
  });
});

describe('alarms', () => {
  it('raises after N confirmed Bad, latches until acknowledged, clears after M Good', async () => {
    await feedInOrder('GG');
    const start = alarmEvents().length;
    const [, , third] = await feedInOrder('BBB');
    await waitFor(() => alarmLog(start).length === 1, 'the alarm');
    const raised = alarmEvents()[start];
    expect(raised?.subject).toBe(`alarm.raised.${PLOT}`);
    // Raised by the third Bad, not before: two were not enough.
    expect(raised?.data).toMatchObject({
      severity: 'major',
      state: 'active-unacknowledged',
      verdict: 'Bad',
      imageId: third,
      by: null,
    });
    await feedInOrder('B');
    expect((await post(`/alarms/${PLOT}/acknowledge`, { by: 'shift-leader' })).status).toBe(200);
    await feedInOrder('GG');
    await waitFor(() => alarmLog(start).length === 3, 'the alarm to clear');
    expect(alarmLog(start)).toEqual([
      'raised→active-unacknowledged',
      'acknowledged→active-acknowledged',
      'cleared→normal',
    ]);
    expect(alarmEvents()[start + 1]?.data).toMatchObject({
      by: 'shift-leader',
      alarmId: raised?.data.alarmId,
    });

    // Unacknowledged, it stays on the board after the plot recovers, until someone acknowledges it.
    const again = alarmEvents().length;
    await feedInOrder('BBBGG');
    await waitFor(() => alarmLog(again).length === 2, 'the alarm to return');
    expect(alarmLog(again)).toEqual(['raised→active-unacknowledged', 'returned→returned-unacknowledged']);
    expect(alarmEvents()[again]?.data.alarmId).not.toBe(raised?.data.alarmId);
    expect((await post(`/alarms/${PLOT}/acknowledge`, { by: 'shift-leader' })).status).toBe(200);
    await waitFor(() => alarmLog(again).length === 3, 'the acknowledgement');
    expect(alarmLog(again).at(-1)).toBe('acknowledged→normal');
    const nothing = await post(`/alarms/${PLOT}/acknowledge`, { by: 'shift-leader' });
    expect(nothing.status).toBe(409);
  });

  it('reads each verdict once and in order: three Bad stored with two Good after them before its turn raise and return the alarm', async () => {
    const start = alarmEvents().length;
    // Stored one after another, as two replicas (or one batch) may store them before the alarm runs.
    const ids = [];
    for (const code of 'BBBGG') ids.push(await storeVerdict(code === 'B' ? 'Bad' : 'Good'));
    const settings = (await app.get(PlotTypeSettingsRepository).loadOne(PLOT)) as PlotTypeSettings;
    const rows = await app.get(AlarmService).evaluate(settings);
    expect(rows.map((row) => [`${row.event}→${row.state}`, row.imageId])).toEqual([
      ['raised→active-unacknowledged', ids[2]],
      ['returned→returned-unacknowledged', ids[4]],
    ]);
    expect(rows[1]?.alarmId).toBe(rows[0]?.alarmId);
    await waitFor(() => alarmLog(start).length === 2, 'both transitions published');
    // Read once: evaluating again finds nothing new to say.
    expect(await app.get(AlarmService).evaluate(settings)).toEqual([]);
    expect((await post(`/alarms/${PLOT}/acknowledge`, { by: 'shift-leader' })).status).toBe(200);
    await waitFor(() => alarmLog(start).at(-1) === 'acknowledged→normal', 'the acknowledgement');
  });

  it('stores a verdict only outside an alarm decision, stamped after it: the cursor never passes a verdict it could not see', async () => {
    const settings = (await app.get(PlotTypeSettingsRepository).loadOne(PLOT)) as PlotTypeSettings;
    await app.get(AlarmService).evaluate(settings);
    // An alarm decision of another replica, holding the plot type's lock.
    const decision = db.createQueryRunner();
    await decision.connect();
    await decision.startTransaction();
    await app.get(AlarmRepository).lock(decision.manager, PLOT);
    const storing = storeVerdict('Good');
    const waitingForLock = async () =>
      Number(
        (await db.query(`SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`))[0]
          .n,
      ) > 0;
    await waitFor(waitingForLock, 'the verdict to wait for the decision');
    const [{ decided }] = await decision.query(`SELECT clock_timestamp() AS decided`);
    await decision.commitTransaction();
    await decision.release();
    const imageId = await storing;
    const stored = await db.getRepository(Classification).findOneByOrFail({ imageId });
    expect(stored.classifiedAt.getTime()).toBeGreaterThanOrEqual(new Date(decided).getTime());
    // Still unread: the next decision reads it.
    await app.get(AlarmService).evaluate(settings);
    const [cursor] = await db.query(`SELECT classification_id FROM alarm_cursor WHERE plot_type = $1`, [
      PLOT,
    ]);
    expect(cursor.classification_id).toBe(stored.id);
  });

  it('suppresses alarms while the beam is off', async () => {
    const start = alarmEvents().length;
    await feedInOrder('BBB');
    await waitFor(() => alarmLog(start).length === 1, 'the alarm');
    await setCondition(false, 0);
    await waitFor(() => alarmLog(start).length === 2, 'suppression');
    await feedInOrder('BBB');
    await setCondition(true, 150);
    await waitFor(
      () => alarmLog(start).includes('unsuppressed→active-unacknowledged'),
      'the alarm to come back',
    );
    // Still bad and never acknowledged: the alarm comes back as it was, not as a new one.
    expect(alarmEvents()[start + 2]?.data.alarmId).toBe(alarmEvents()[start]?.data.alarmId);
    await post(`/alarms/${PLOT}/acknowledge`, { by: 'shift-leader' });
    await feedInOrder('GG');
    await waitFor(() => alarmLog(start).at(-1) === 'cleared→normal', 'the alarm to clear');
    // Nothing in between: the Bad plots while the beam was off raised nothing.
    expect(alarmLog(start)).toEqual([
      'raised→active-unacknowledged',
      'suppressed→suppressed',
      'unsuppressed→active-unacknowledged',
      'acknowledged→active-acknowledged',
      'cleared→normal',
    ]);
  });

  it('shelves with an expiry and a reason, and disables; both recorded with who and why', async () => {
    const start = alarmEvents().length;
    // Long enough for three plots to be judged inside it on a loaded CI machine, which 1.5 s was not.
    const shelfEnds = Date.now() + 4_000;
    const until = new Date(shelfEnds).toISOString();
    const shelved = await post(`/alarms/${PLOT}/shelve`, { by: 'expert', until, reason: 'known dead board' });
    expect(shelved.status).toBe(200);
    await feedInOrder('BBB');
    expect({ judgedInsideTheShelf: Date.now() < shelfEnds, log: alarmLog(start) }).toEqual({
      judgedInsideTheShelf: true,
      log: ['shelved→shelved'],
    });
    // When the shelf time ends, the still-bad plot raises the alarm again.
    await waitFor(() => alarmLog(start).length === 3, 'the shelf to expire', 10_000);
    expect(alarmLog(start)).toEqual(['shelved→shelved', 'unshelved→normal', 'raised→active-unacknowledged']);
    await post(`/alarms/${PLOT}/disable`, { by: 'expert', reason: 'detector off' });
    await feedInOrder('GGBBB');
    expect(alarmLog(start).at(-1)).toBe('disabled→disabled');
    const current = (await (await fetch(`${baseUrl}/alarms`)).json()) as {
      plotType: string;
      state: string;
      by: string;
      reason: string;
    }[];
    expect(current.find((alarm) => alarm.plotType === PLOT)).toMatchObject({
      state: 'disabled',
      by: 'expert',
      reason: 'detector off',
    });
    const bad = await post(`/alarms/${PLOT}/shelve`, { by: 'expert', until: 'tomorrow', reason: 'x' });
    expect(bad.status).toBe(400);
  });

  it('takes alarm actions only from labeler-api, which proves itself with the internal token', async () => {
    const before = alarmEvents().length;
    const anonymous = await post(`/alarms/${PLOT}/enable`, { by: 'intruder' }, null);
    const forged = await post(`/alarms/${PLOT}/enable`, { by: 'intruder' }, 'not-the-internal-token');
    expect([anonymous.status, forged.status]).toEqual([403, 403]);
    expect(((await forged.json()) as { message: string }).message).toMatch(/labeler-api/);
    // The refused enable left the alarm disabled: the next enable is a real transition (and the
    // still-bad plot may raise the alarm again right after it).
    expect((await post(`/alarms/${PLOT}/enable`, { by: 'expert' })).status).toBe(200);
    await waitFor(() => alarmEvents().length > before, 'the enable transition');
    expect(alarmLog(before)[0]).toBe('enabled→normal');
    expect(alarmEvents()[before]?.data).toMatchObject({ by: 'expert' });
  });

  it('shelves for 24 hours at most (ISA-18.2 shelving is time-limited)', async () => {
    const start = alarmEvents().length;
    for (const until of ['9999-12-31T00:00:00Z', new Date(Date.now() + 25 * 3_600_000).toISOString()]) {
      const refused = await post(`/alarms/${PLOT}/shelve`, { by: 'hopeful', until, reason: 'forever' });
      expect(refused.status).toBe(409);
      expect(((await refused.json()) as { message: string }).message).toMatch(/at most 24 h/);
    }
    // An allowed shelf: a transition of the refused ones would have been published before it.
    const until = new Date(Date.now() + 3_600_000).toISOString();
    expect((await post(`/alarms/${PLOT}/shelve`, { by: 'expert', until, reason: 'an hour' })).status).toBe(
      200,
    );
    const allowed = () =>
      alarmEvents()
        .slice(start)
        .findIndex((event) => event.data.by === 'expert');
    await waitFor(() => allowed() >= 0, 'the allowed shelf');
    expect(
      alarmEvents()
        .slice(start, start + allowed())
        .filter((event) => event.data.by === 'hopeful'),
    ).toEqual([]);
  });
});

describe('alarm latch and clocks', () => {
  /** Brings PLOT's alarm back to normal from wherever the tests before left it. */
  async function settle(): Promise<void> {
    await setCondition(true, 150);
    await post(`/alarms/${PLOT}/enable`, { by: 'expert' });
    await post(`/alarms/${PLOT}/unshelve`, { by: 'expert' });
    await feedInOrder('GG');
    await post(`/alarms/${PLOT}/acknowledge`, { by: 'expert' });
    await waitFor(
      async () =>
        ((await (await fetch(`${baseUrl}/alarms`)).json()) as { plotType: string; state: string }[]).find(
          (alarm) => alarm.plotType === PLOT,
        )?.state === 'normal',
      'the alarm to be normal',
    );
  }

  it('keeps an unacknowledged alarm latched through a beam-off period', async () => {
    await settle();
    const start = alarmEvents().length;
    await feedInOrder('BBBGG');
    await waitFor(() => alarmLog(start).length === 2, 'the alarm to return');
    await setCondition(false, 0);
    await waitFor(() => alarmLog(start).length === 3, 'suppression');
    await setCondition(true, 150);
    await waitFor(() => alarmLog(start).length === 4, 'the end of suppression');
    expect(alarmLog(start)).toEqual([
      'raised→active-unacknowledged',
      'returned→returned-unacknowledged',
      'suppressed→suppressed',
      'unsuppressed→returned-unacknowledged',
    ]);
    // Only a person's acknowledgement ends it.
    expect((await post(`/alarms/${PLOT}/acknowledge`, { by: 'shift-leader' })).status).toBe(200);
    await waitFor(() => alarmLog(start).length === 5, 'the acknowledgement');
    expect(alarmLog(start).at(-1)).toBe('acknowledged→normal');
  });

  it("orders verdicts by when Hydra judged them, not by the sender's clock", async () => {
    await settle();
    const start = alarmEvents().length;
    const future = new Date('2099-01-01T00:00:00Z');
    for (const plot of confident.Bad.slice(0, 3)) await verdictOf(await feedCapturedAt(plot, future));
    await waitFor(() => alarmLog(start).length === 1, 'the alarm');
    await post(`/alarms/${PLOT}/acknowledge`, { by: 'shift-leader' });
    await feedInOrder('GG');
    await waitFor(() => alarmLog(start).at(-1) === 'cleared→normal', 'the alarm to clear');
    expect(alarmLog(start)).toEqual([
      'raised→active-unacknowledged',
      'acknowledged→active-acknowledged',
      'cleared→normal',
    ]);
  });

  it("puts the newest run condition received in force, whatever the sender's clock says", async () => {
    await settle();
    const start = alarmEvents().length;
    await feedInOrder('BBB');
    await waitFor(() => alarmLog(start).length === 1, 'the alarm');
    await app.get(EventPublisher).publish(Subjects.runCondition, {
      beamOn: false,
      beamCurrent: 0,
      by: 'daq',
      occurredAt: '2099-01-01T00:00:00.000Z',
    });
    await waitFor(() => alarmLog(start).length === 2, 'suppression');
    await setCondition(true, 150);
    await waitFor(() => alarmLog(start).length === 3, 'the end of suppression');
    expect(alarmLog(start)).toEqual([
      'raised→active-unacknowledged',
      'suppressed→suppressed',
      'unsuppressed→active-unacknowledged',
    ]);
  });
});

describe('a production model that cannot load', () => {
  const BROKEN = 'BCAL_occupancy';

  async function health(): Promise<{ status: number; body: string }> {
    const response = await fetch(`${baseUrl}/health`);
    return { status: response.status, body: await response.text() };
  }

  it('gives its images the "no model" verdict, reports the plot type unmonitored, and recovers', async () => {
    const broken = await registerTestModel(db, store, BROKEN, { Good: 0.6, Bad: 0.6, NoData: 0.6 });
    await activate(db, BROKEN, broken.modelId);
    const weightsKey = `models/${BROKEN}/${broken.modelId}/weights.bin`;
    const weights = await store.get(weightsKey);
    const damaged = Buffer.from(weights);
    damaged[0] = (damaged[0] as number) ^ 0xff;
    await store.put(weightsKey, damaged);

    const plot = confident.Good[0] as SimulatedPlot;
    const first = await verdictOf(await feed(plot, BROKEN));
    expect(first).toMatchObject({
      verdict: 'NoModel',
      modelId: null,
      confirmed: false,
      keepReason: 'unconfirmed',
    });
    await waitFor(() => recorder.of(`monitoring.lost.${BROKEN}`).length === 1, 'the monitoring-lost alarm');
    expect(recorder.of(`monitoring.lost.${BROKEN}`)[0]).toMatchObject({
      event: 'lost',
      plotType: BROKEN,
      modelId: broken.modelId,
      reason: expect.stringContaining("do not match the manifest's sha256"),
    });
    const degraded = await health();
    expect(degraded.status).toBe(503);
    expect(degraded.body).toContain(BROKEN);
    expect(degraded.body).toContain("do not match the manifest's sha256");
    // Another image while it is broken: a verdict again (and no second alarm, checked below).
    expect(await verdictOf(await feed(plot, BROKEN))).toMatchObject({ verdict: 'NoModel' });

    // Repaired in place: the model is tried again, judges, and the plot type is monitored again.
    await store.put(weightsKey, weights);
    await waitFor(
      async () => (await verdictOf(await feed(plot, BROKEN))).modelId === broken.modelId,
      'the repaired model to judge',
    );
    await waitFor(() => recorder.of(`monitoring.restored.${BROKEN}`).length === 1, 'monitoring restored');
    expect(recorder.of(`monitoring.restored.${BROKEN}`)[0]).toMatchObject({
      modelId: broken.modelId,
      reason: null,
    });
    // Published before the restoration, a second alarm for the broken stretch would be here by now.
    expect(recorder.of(`monitoring.lost.${BROKEN}`)).toHaveLength(1);
    expect((await health()).status).toBe(200);
  });
});
