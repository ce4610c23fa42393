import { BaseRpcContext } from '@nestjs/microservices';

/** What a handler can learn about the message it is handling (`@Ctx() context: EventContext`). */
export class EventContext extends BaseRpcContext<
  [subject: string, attempt: number, sequence: number | null]
> {
  /** The subject without any deployment prefix, e.g. `image.new`. */
  getSubject(): string {
    return this.args[0];
  }
  /** 1 on first delivery. */
  getAttempt(): number {
    return this.args[1];
  }
  /** The stream sequence, unique per message in a stream (null for the in-process bus before delivery). */
  getSequence(): number | null {
    return this.args[2];
  }
}
