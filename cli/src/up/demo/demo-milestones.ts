import type { ImageDetail, ImagePage } from '@hydra/contracts';
import { sleep } from '../ports';
import type { HydraApi } from '../../api/hydra-api';

interface AlarmRow {
  plotType: string;
  state: string;
  since: string;
  occurredAt?: string;
}

const ACTIVE = ['active-unacknowledged', 'active-acknowledged', 'returned-unacknowledged'];

/**
 * Tells a newcomer when the loop has come round since this start: the first verdict, the first by
 * a trained model, the first alarm, the first heat map (each once, with the seconds since start).
 */
export async function reportDemoMilestones(
  api: HydraApi,
  startedAt: number,
  report: (line: string) => void,
  stopped: () => boolean,
): Promise<void> {
  const since = new Date(startedAt).toISOString();
  const seconds = () => `${Math.round((Date.now() - startedAt) / 1000)} s`;
  const pending = new Map<string, () => Promise<string | null>>([
    [
      'verdict',
      async () => {
        const page = await api.get<ImagePage>(`/images?from=${since}&limit=50`);
        const judged = page.items.find((image) => image.latestVerdict);
        return judged
          ? `first verdict after ${seconds()} (${judged.plotType}: ${judged.latestVerdict?.verdict})`
          : null;
      },
    ],
    [
      'model verdict',
      async () => {
        const page = await api.get<ImagePage>(`/images?from=${since}&limit=50`);
        const judged = page.items.find((image) => image.latestVerdict?.modelId);
        return judged
          ? `first verdict by a trained model after ${seconds()} (${judged.plotType}: ${judged.latestVerdict?.verdict})`
          : null;
      },
    ],
    [
      'alarm',
      async () => {
        const alarms = await api.get<AlarmRow[]>('/alarms');
        const raised = alarms.find(
          (alarm) => ACTIVE.includes(alarm.state) && Date.parse(alarm.occurredAt ?? alarm.since) >= startedAt,
        );
        return raised ? `first alarm after ${seconds()} (${raised.plotType}: ${raised.state})` : null;
      },
    ],
    [
      'heat map',
      async () => {
        const page = await api.get<ImagePage>(`/images?from=${since}&verdict=Bad&confirmed=true&limit=10`);
        for (const image of page.items) {
          const detail = await api.get<ImageDetail>(`/images/${image.id}`);
          if (detail.heatmaps.length)
            return `first heat map after ${seconds()} (${image.plotType}, image ${image.id})`;
        }
        return null;
      },
    ],
  ]);
  while (pending.size && !stopped()) {
    for (const [name, check] of pending) {
      const line = await check().catch(() => null);
      if (line) {
        report(`demo: ${line}`);
        pending.delete(name);
      }
    }
    await sleep(2_000);
  }
}
