import type { PaletteEntry, PlotTypeResponse } from '@hydra/contracts';
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { api, ApiError } from '../composables/api';
import {
  type CrossValidationReport,
  type Disagreement,
  type ModelDetail,
  percent,
  type ProportionInterval,
} from './library-model';

/** As the Run page: the usual labels' colours when a palette does not say. */
const FALLBACK_COLOURS: Record<string, string> = { Good: '#18a058', Bad: '#d03050', NoData: '#8a8f98' };

/** A batch id for the audited label path; `crypto.randomUUID` only exists on secure origins. */
export function newBatchId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A figure with its 95 % interval, "97.0 % (93.1–98.8)"; the figure alone when the report has none. */
export function percentWithInterval(
  value: number | null | undefined,
  interval?: Pick<ProportionInterval, 'lower' | 'upper'> | null,
): string {
  const figure = percent(value);
  if (!interval || figure === '—') return figure;
  return `${figure} (${(interval.lower * 100).toFixed(1)}–${(interval.upper * 100).toFixed(1)})`;
}

/** A difference in points with its 95 % interval, "−3.5 % (−6.1 to −1.0)". */
export function signedPercentWithInterval(difference: {
  value: number;
  lower: number;
  upper: number;
}): string {
  const signed = (value: number) => `${value < 0 ? '−' : '+'}${Math.abs(value * 100).toFixed(1)}`;
  return `${signed(difference.value)} % (${signed(difference.lower)} to ${signed(difference.upper)})`;
}

/** The cross-validated figures in one line: "5 folds over all 80 labeled images: accuracy 91.3 % (83.0–95.9)". */
export function crossValidationSummary(report: CrossValidationReport): string {
  return `${report.folds} folds over all ${report.count} labeled images, each judged once by a model that never trained on it: accuracy ${percentWithInterval(report.accuracy, report.accuracyInterval)}`;
}

/** The labels a card offers: the plot type's palette, else the model's classes. */
export function relabelChoices(palette: PaletteEntry[] | undefined, modelLabels: string[]): string[] {
  const fromPalette = (palette ?? []).map((entry) => entry.label);
  return fromPalette.length > 0 ? fromPalette : modelLabels;
}

/** The training report of one model: where it and the experts disagreed, to relabel. */
export const useLibraryReportStore = defineStore('library-report', () => {
  const model = ref<ModelDetail | null>(null);
  const plotType = ref<PlotTypeResponse | null>(null);
  const cards = ref<Disagreement[]>([]);
  const loading = ref(false);
  const loadError = ref<string | null>(null);
  /** Image ids being relabeled. */
  const saving = ref<Set<string>>(new Set());
  const errors = ref<Record<string, string>>({});

  const choices = computed(() => relabelChoices(plotType.value?.palette, model.value?.labels ?? []));
  const colourOf = (label: string | null | undefined) =>
    plotType.value?.palette.find((entry) => entry.label === label)?.colour ??
    (label ? FALLBACK_COLOURS[label] : undefined) ??
    '#8a8f98';

  async function load(id: string): Promise<void> {
    loading.value = true;
    loadError.value = null;
    try {
      const [detail, disagreements] = await Promise.all([
        api.get<ModelDetail>(`/models/${id}`, { silent: true }),
        api.get<Disagreement[]>(`/models/${id}/disagreements`, { silent: true }),
      ]);
      model.value = detail;
      cards.value = disagreements;
      plotType.value = await api
        .get<PlotTypeResponse>(`/plot-types/${detail.plotType}`, { silent: true })
        .catch(() => null);
    } catch (error) {
      loadError.value = error instanceof Error ? error.message : String(error);
    } finally {
      loading.value = false;
    }
  }

  /** Labels the image `label` through the audited label path; the card shows the new current label. */
  async function relabel(imageId: string, label: string): Promise<void> {
    const name = model.value?.plotType;
    if (!name) return;
    saving.value = new Set([...saving.value, imageId]);
    const { [imageId]: _, ...rest } = errors.value;
    errors.value = rest;
    try {
      await api.post(
        `/plot-types/${name}/labels`,
        { batchId: newBatchId(), items: [{ imageId, label }] },
        { silent: true },
      );
      cards.value = cards.value.map((card) =>
        card.imageId === imageId ? { ...card, currentLabel: label } : card,
      );
    } catch (error) {
      errors.value = {
        ...errors.value,
        [imageId]: error instanceof ApiError ? error.message : String(error),
      };
    } finally {
      const next = new Set(saving.value);
      next.delete(imageId);
      saving.value = next;
    }
  }

  return { model, plotType, cards, loading, loadError, saving, errors, choices, colourOf, load, relabel };
});
