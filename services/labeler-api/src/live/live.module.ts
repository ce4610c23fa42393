import { Module } from '@nestjs/common';
import { LiveGateway } from './live.gateway';

/** Live updates over Socket.IO: the gateway and the rules of who gets which event. */
@Module({ providers: [LiveGateway] })
export class LiveModule {}
