import { type RunConditionDto, Subjects } from '@hydra/contracts';
import { EventPublisher } from '@hydra/messaging';
import { INTERNAL_TOKEN_HEADER } from '@hydra/service';
import { HttpException, Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { LABELER_API_CONFIG, type LabelerApiConfig } from '../labeler-api.config';
import type { Principal } from '../auth/principal';

const CLASSIFIER_TIMEOUT_MS = 5_000;

/**
 * People's alarm actions reach the classifier (the alarm table's writer) through here, with the
 * authenticated name as the actor; the run condition goes out on NATS with it.
 */
@Injectable()
export class AlarmActionService {
  constructor(
    @Inject(LABELER_API_CONFIG) private readonly config: LabelerApiConfig,
    private readonly events: EventPublisher,
  ) {}

  /** The newest transition of every plot type's alarm, as the classifier keeps them. */
  current(): Promise<unknown> {
    return this.classifier('GET', '/alarms');
  }

  act(actor: Principal, plotType: string, action: string, body: object): Promise<unknown> {
    return this.classifier('POST', `/alarms/${plotType}/${action}`, { ...body, by: actor.name });
  }

  /** Goes out as `run.condition`, so every classifier replica and any other subscriber hears it. */
  async setCondition(actor: Principal, condition: RunConditionDto): Promise<{ id: string }> {
    const event = await this.events.publish(Subjects.runCondition, { ...condition, by: actor.name });
    return { id: event.id };
  }

  /** The classifier's answer, its 4xx passed on as ours; unreachable is a 503 saying where it was looked for. */
  private async classifier(method: string, path: string, body?: object): Promise<unknown> {
    const url = `${this.config.classifierUrl}${path}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          'content-type': 'application/json',
          ...(this.config.internalToken && { [INTERNAL_TOKEN_HEADER]: this.config.internalToken }),
        },
        body: body && JSON.stringify(body),
        signal: AbortSignal.timeout(CLASSIFIER_TIMEOUT_MS),
      });
    } catch (error) {
      throw new ServiceUnavailableException(
        `the classifier at ${this.config.classifierUrl} did not answer: ${(error as Error).message}`,
      );
    }
    const reply: unknown = await response.json().catch(() => null);
    if (!response.ok) {
      const message =
        (reply as { message?: string } | null)?.message ?? `the classifier answered ${response.status}`;
      throw new HttpException(
        { statusCode: response.status, error: response.statusText, message },
        response.status,
      );
    }
    return reply;
  }
}
