import { randomUUID } from 'node:crypto';
import { alarmSubject, type RunConditionEvent } from '@hydra/contracts';
import { EventPublisher } from '@hydra/messaging';
import {
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { CLASSIFIER_CONFIG, type ClassifierConfig } from '../classifier.config';
import { type PlotTypeSettings, PlotTypeSettingsRepository } from '../models/plot-type-settings.repository';
import {
  type AlarmAction,
  type AlarmTransition,
  applyAlarmAction,
  evaluateAlarm,
  evaluateInOrder,
} from './alarm-rules';
import { AlarmRepository, type AlarmRow } from './alarm.repository';

/** The most verdicts one evaluation reads; more wait for the next (each batch of verdicts brings one). */
const MAX_UNREAD = 1_000;

/**
 * Decides, records and publishes alarm transitions. Decisions for one plot type are serialised by
 * a database lock, so any number of classifier replicas tell one consistent story.
 */
@Injectable()
export class AlarmService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(AlarmService.name);
  private sweep: NodeJS.Timeout | undefined;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(CLASSIFIER_CONFIG) private readonly config: ClassifierConfig,
    private readonly alarms: AlarmRepository,
    private readonly settings: PlotTypeSettingsRepository,
    private readonly events: EventPublisher,
  ) {}

  onModuleInit(): void {
    this.sweep = setInterval(() => void this.endExpiredShelves(), this.config.shelfSweepMs);
  }

  onModuleDestroy(): void {
    clearInterval(this.sweep);
  }

  /**
   * Applies what the verdicts not yet read and the run condition call for: each verdict once, in
   * the order they were stored, whichever batch or replica stored them and whenever this runs.
   */
  async evaluate(plotType: PlotTypeSettings): Promise<AlarmRow[]> {
    return this.decide(plotType, async (manager, current, now) => {
      const window = Math.max(plotType.alarm.onDelay, plotType.alarm.offDelay);
      const beamOn = await this.alarms.beamOn(manager);
      const unread = await this.alarms.unreadVerdicts(manager, plotType.name, MAX_UNREAD);
      const newest = unread.at(-1);
      if (!newest) {
        const recent = await this.alarms.recentVerdicts(manager, plotType.name, window);
        return evaluateAlarm(current, recent, plotType.alarm, beamOn, now);
      }
      const read = await this.alarms.readVerdicts(manager, plotType.name, window);
      await this.alarms.advanceCursor(manager, newest.id);
      return evaluateInOrder(current, read, unread, plotType.alarm, beamOn, now, randomUUID);
    });
  }

  /** A person's acknowledge / shelve / unshelve / disable / enable; the alarm is then re-evaluated. */
  async act(
    plotTypeName: string,
    action: AlarmAction,
    by: string,
    reason: string | null,
  ): Promise<AlarmRow[]> {
    const plotType = await this.settings.loadOne(plotTypeName);
    if (!plotType) throw new NotFoundException(`no plot type "${plotTypeName}"`);
    return this.decide(
      plotType,
      async (manager, current, now) => {
        const transition = applyAlarmAction(current, action, plotType.alarm, now);
        const next = {
          alarmId: transition.alarmId ?? randomUUID(),
          state: transition.state,
          severity: transition.severity,
          since: transition.since,
          shelvedUntil: transition.shelvedUntil ?? null,
        };
        const window = Math.max(plotType.alarm.onDelay, plotType.alarm.offDelay);
        const recent = await this.alarms.recentVerdicts(manager, plotType.name, window);
        const beamOn = await this.alarms.beamOn(manager);
        return [
          { ...transition, alarmId: next.alarmId },
          ...evaluateAlarm(next, recent, plotType.alarm, beamOn, now),
        ];
      },
      { by, reason },
    );
  }

  /** Records a run-condition report and suppresses or unsuppresses the alarms it concerns. */
  async onCondition(condition: RunConditionEvent): Promise<void> {
    await this.dataSource.transaction((manager) =>
      this.alarms.recordCondition(manager, {
        eventId: condition.id,
        beamOn: condition.beamOn,
        beamCurrent: condition.beamCurrent,
        by: condition.by,
      }),
    );
    await this.reevaluate([
      'active-unacknowledged',
      'active-acknowledged',
      'returned-unacknowledged',
      'suppressed',
    ]);
  }

  async current(): Promise<AlarmRow[]> {
    return this.alarms.current(this.dataSource.manager);
  }

  private async endExpiredShelves(): Promise<void> {
    try {
      await this.reevaluate(['shelved']);
    } catch (error) {
      this.logger.error(`shelf sweep failed: ${(error as Error).message}`);
    }
  }

  private async reevaluate(states: string[]): Promise<void> {
    const names = await this.alarms.plotTypesIn(this.dataSource.manager, states);
    if (names.length === 0) return;
    const settings = await this.settings.load(names);
    for (const plotType of settings.values()) await this.evaluate(plotType);
  }

  /** Locks the plot type's alarm, lets `decide` pick transitions, records them, then publishes them. */
  private async decide(
    plotType: PlotTypeSettings,
    decide: (
      manager: EntityManager,
      current: Awaited<ReturnType<AlarmRepository['latest']>>,
      now: Date,
    ) => Promise<AlarmTransition[]>,
    person: { by: string; reason: string | null } | null = null,
  ): Promise<AlarmRow[]> {
    const rows = await this.dataSource.transaction(async (manager) => {
      await this.alarms.lock(manager, plotType.name);
      const current = await this.alarms.latest(manager, plotType.name);
      // Rows of one plot type must sort in the order they were decided, even within a millisecond.
      let time = Math.max(Date.now(), (current?.occurredAt.getTime() ?? 0) + 1);
      const now = new Date(time);
      let alarmId = current?.alarmId ?? null;
      const transitions = await decide(manager, current, now);
      const rows = transitions.map((transition, index) => {
        alarmId =
          transition.alarmId ?? (transition.event === 'raised' ? randomUUID() : (alarmId ?? randomUUID()));
        const row: AlarmRow = {
          id: randomUUID(),
          alarmId,
          plotType: plotType.name,
          event: transition.event,
          state: transition.state,
          severity: transition.severity,
          since: transition.since,
          imageId: transition.verdict?.imageId ?? null,
          verdict: transition.verdict?.verdict ?? null,
          confidence: transition.verdict?.confidence ?? null,
          // Only a person's own action carries their name; what follows from it is the classifier's.
          by: index === 0 ? (person?.by ?? null) : null,
          reason: index === 0 ? (person?.reason ?? null) : null,
          shelvedUntil: transition.shelvedUntil ?? null,
          occurredAt: new Date(time++),
        };
        return row;
      });
      await this.alarms.insert(manager, rows);
      return rows;
    });
    for (const row of rows) {
      await this.events.publish(alarmSubject(row.event, row.plotType), {
        id: row.id,
        alarmId: row.alarmId,
        event: row.event,
        plotType: row.plotType,
        severity: row.severity,
        state: row.state,
        since: row.since.toISOString(),
        imageId: row.imageId,
        verdict: row.verdict,
        confidence: row.confidence,
        by: row.by,
      });
      this.logger.log(`alarm ${row.plotType}: ${row.event} → ${row.state}${row.by ? ` by ${row.by}` : ''}`);
    }
    return rows;
  }
}
