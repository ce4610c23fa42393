import {
  type AlarmActionByDto,
  alarmActionByDto,
  type AlarmShelveByDto,
  alarmShelveByDto,
  plotTypeName,
} from '@hydra/contracts';
import { ZodValidationPipe } from '@hydra/runtime';
import { InternalCallerGuard } from '@hydra/service';
import { Body, ConflictException, Controller, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { AlarmActionError, type AlarmAction } from './alarm-rules';
import type { AlarmRow } from './alarm.repository';
import { AlarmService } from './alarm.service';

const plotTypeParam = new ZodValidationPipe(plotTypeName);
const ACTIONS = ['acknowledge', 'unshelve', 'disable', 'enable'] as const;
const actionParam = new ZodValidationPipe(z.enum(ACTIONS));

/** Alarm states, and the actions people take on them, forwarded by labeler-api with the person's name. */
@Controller('alarms')
export class AlarmController {
  constructor(private readonly alarms: AlarmService) {}

  /** The newest transition of every plot type's alarm. */
  @Get()
  current(): Promise<AlarmRow[]> {
    return this.alarms.current();
  }

  @Post(':plotType/shelve')
  @UseGuards(InternalCallerGuard)
  @HttpCode(200)
  shelve(
    @Param('plotType', plotTypeParam) plotType: string,
    @Body(new ZodValidationPipe(alarmShelveByDto)) body: AlarmShelveByDto,
  ): Promise<AlarmRow[]> {
    return this.act(plotType, { kind: 'shelve', until: new Date(body.until) }, body.by, body.reason);
  }

  @Post(':plotType/:action')
  @UseGuards(InternalCallerGuard)
  @HttpCode(200)
  action(
    @Param('plotType', plotTypeParam) plotType: string,
    @Param('action', actionParam) action: (typeof ACTIONS)[number],
    @Body(new ZodValidationPipe(alarmActionByDto)) body: AlarmActionByDto,
  ): Promise<AlarmRow[]> {
    return this.act(plotType, { kind: action }, body.by, body.reason ?? null);
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
