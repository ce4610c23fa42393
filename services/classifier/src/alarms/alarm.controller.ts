import {
  type AlarmActionDto,
  alarmActionDto,
  type AlarmShelveActionDto,
  alarmShelveActionDto,
  plotTypeName,
  type RunConditionDto,
  runConditionDto,
  Subjects,
} from '@hydra/contracts';
import { EventPublisher } from '@hydra/messaging';
import { ZodValidationPipe } from '@hydra/runtime';
import { Body, ConflictException, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { z } from 'zod';
import { AlarmActionError, type AlarmAction } from './alarm-rules';
import type { AlarmRow } from './alarm.repository';
import { AlarmService } from './alarm.service';

const plotTypeParam = new ZodValidationPipe(plotTypeName);
const ACTIONS = ['acknowledge', 'unshelve', 'disable', 'enable'] as const;
const actionParam = new ZodValidationPipe(z.enum(ACTIONS));

/** Alarm states and a person's actions on them; the run condition for DAQs that speak HTTP. */
@Controller()
export class AlarmController {
  constructor(
    private readonly alarms: AlarmService,
    private readonly events: EventPublisher,
  ) {}

  /** The newest transition of every plot type's alarm. */
  @Get('alarms')
  current(): Promise<AlarmRow[]> {
    return this.alarms.current();
  }

  @Post('alarms/:plotType/shelve')
  @HttpCode(200)
  shelve(
    @Param('plotType', plotTypeParam) plotType: string,
    @Body(new ZodValidationPipe(alarmShelveActionDto)) body: AlarmShelveActionDto,
  ): Promise<AlarmRow[]> {
    return this.act(plotType, { kind: 'shelve', until: new Date(body.until) }, body.by, body.reason);
  }

  @Post('alarms/:plotType/:action')
  @HttpCode(200)
  action(
    @Param('plotType', plotTypeParam) plotType: string,
    @Param('action', actionParam) action: (typeof ACTIONS)[number],
    @Body(new ZodValidationPipe(alarmActionDto)) body: AlarmActionDto,
  ): Promise<AlarmRow[]> {
    return this.act(plotType, { kind: action }, body.by, body.reason ?? null);
  }

  /** Goes out as `run.condition`, so every replica and any other subscriber hears it. */
  @Put('condition')
  @HttpCode(202)
  async condition(
    @Body(new ZodValidationPipe(runConditionDto)) body: RunConditionDto,
  ): Promise<{ id: string }> {
    const event = await this.events.publish(Subjects.runCondition, body);
    return { id: event.id };
  }

  private async act(plotType: string, action: AlarmAction, by: string, reason: string | null) {
    try {
      return await this.alarms.act(plotType, action, by, reason);
    } catch (error) {
      if (error instanceof AlarmActionError) throw new ConflictException(error.message);
      throw error;
    }
  }
}
