import type { ExplanationResponse } from '@hydra/contracts';
import { computed, type Ref, ref, watch } from 'vue';
import type { RunPlot } from '../stores/run';
import { api } from './api';

/**
 * The heat map the zoom shows: the verdict's (made when the verdict came), or on request the one
 * of another class ("why not Bad?"), which the explainer makes now through labeler-api.
 */
export function useClassHeatmap(plot: Ref<RunPlot | null>) {
  /** null: the verdict's own class. */
  const chosen = ref<string | null>(null);
  const classUrl = ref<string | null>(null);
  const loading = ref(false);
  const failure = ref<string | null>(null);
  let asked = 0;

  const verdict = computed(() => plot.value?.verdict?.verdict ?? null);
  /** The model's classes, from the verdict's outputs, the verdict's own first. */
  const classes = computed(() => {
    const labels = Object.keys(plot.value?.verdict?.outputs ?? {});
    return verdict.value ? [verdict.value, ...labels.filter((label) => label !== verdict.value)] : labels;
  });
  const url = computed(() => (chosen.value === null ? (plot.value?.heatmapUrl ?? null) : classUrl.value));

  function reset(): void {
    asked++;
    chosen.value = null;
    classUrl.value = null;
    loading.value = false;
    failure.value = null;
  }
  // Another image (a new verdict on the card, or another card): back to its verdict's heat map.
  watch(() => `${plot.value?.image?.id}/${plot.value?.verdict?.modelId}`, reset);

  async function choose(label: string): Promise<void> {
    const image = plot.value?.image;
    const modelId = plot.value?.verdict?.modelId;
    if (label === verdict.value || !image || !modelId) return reset();
    const request = ++asked;
    chosen.value = label;
    classUrl.value = null;
    failure.value = null;
    loading.value = true;
    try {
      const reply = await api.post<ExplanationResponse>(
        `/images/${image.id}/explanations`,
        { modelId, label },
        { silent: true },
      );
      if (request === asked) classUrl.value = reply.url;
    } catch (error) {
      if (request === asked) failure.value = (error as Error).message;
    } finally {
      if (request === asked) loading.value = false;
    }
  }

  return { chosen, classes, verdict, url, loading, failure, choose };
}
