import {
  type AlarmActionDto,
  alarmActionDto,
  type AlarmShelveDto,
  alarmShelveDto,
  plotTypeName,
  type RunConditionDto,
  runConditionDto,
} from '@hydra/contracts';
import { ZodValidationPipe } from '@hydra/runtime';
import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { z } from 'zod';
import { Access, Actor } from '../auth/access.decorator';
import type { Principal } from '../auth/principal';
import { AlarmActionService } from './alarm-action.service';

const plotTypeParam = new ZodValidationPipe(plotTypeName);
const actionParam = new ZodValidationPipe(z.enum(['acknowledge', 'unshelve', 'disable', 'enable']));

/** The shift crew's alarm actions and the DAQ's run condition, by the authenticated caller. */
@Controller()
export class AlarmActionController {
  constructor(private readonly alarms: AlarmActionService) {}

  @Get('alarms')
  @Access('viewer')
  current() {
    return this.alarms.current();
  }

  @Post('alarms/:plotType/shelve')
  @Access('shift')
  @HttpCode(200)
  shelve(
    @Actor() actor: Principal,
    @Param('plotType', plotTypeParam) plotType: string,
    @Body(new ZodValidationPipe(alarmShelveDto)) body: AlarmShelveDto,
  ) {
    return this.alarms.act(actor, plotType, 'shelve', body);
  }

  @Post('alarms/:plotType/:action')
  @Access('shift')
  @HttpCode(200)
  action(
    @Actor() actor: Principal,
    @Param('plotType', plotTypeParam) plotType: string,
    @Param('action', actionParam) action: string,
    @Body(new ZodValidationPipe(alarmActionDto)) body: AlarmActionDto,
  ) {
    return this.alarms.act(actor, plotType, action, body);
  }

  /** For a DAQ (an API token with the shift role) that speaks HTTP rather than NATS. */
  @Put('condition')
  @Access('shift')
  @HttpCode(202)
  condition(@Actor() actor: Principal, @Body(new ZodValidationPipe(runConditionDto)) body: RunConditionDto) {
    return this.alarms.setCondition(actor, body);
  }
}
