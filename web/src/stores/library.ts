import type {
  PlotTypeResponse,
  TrainingEstimate,
  TrainingOptions,
  TrainingProgressEvent,
} from '@hydra/contracts';
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { api, ApiError } from '../composables/api';
import { useLiveFeed } from '../composables/useLiveFeed';
import {
  applyProgress,
  type ModelComparison,
  type ModelDetail,
  type ModelListing,
  type ModelThreshold,
  queuedState,
  sortModels,
  stateFromJob,
  type TrainingJob,
  type TrainingProgressState,
} from './library-model';

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The model library of one plot type at a time: models, the one opened, a comparison, training jobs. */
export const useLibraryStore = defineStore('library', () => {
  const live = useLiveFeed();

  const plotTypes = ref<PlotTypeResponse[]>([]);
  const plotType = ref<string | null>(null);
  const models = ref<ModelListing[]>([]);
  const loading = ref(false);
  const loadError = ref<string | null>(null);

  const selectedId = ref<string | null>(null);
  const detail = ref<ModelDetail | null>(null);
  const detailError = ref<string | null>(null);
  const compareId = ref<string | null>(null);
  const comparison = ref<ModelComparison | null>(null);

  /** Training jobs seen by this page (started here or announced by `training:progress`), by id. */
  const jobs = ref<Record<string, TrainingProgressState>>({});
  /** Jobs whose plot type is being looked up, so an unknown job is fetched once. */
  const lookingUp = new Set<string>();
  /** The newest list and detail requests: an older answer arriving after a newer one is dropped. */
  let listRequest = 0;
  let detailRequest = 0;
  /**
   * Set by `open` until a list arrives, whichever request brought it: a reload that starts while
   * the page opens supersedes open's own request, and its list must still open the model.
   */
  let opening: { modelId: string | null } | null = null;

  /** An action in flight (`promote:<id>`, `train`, …), to disable its button. */
  const busy = ref<string | null>(null);
  /** The server's refusal of the last action (a 409's or 403's message). */
  const actionError = ref<string | null>(null);

  const sortedModels = computed(() => sortModels(models.value));
  const production = computed(() => models.value.find((model) => model.production) ?? null);
  /** The plot type's newest job seen: running, or the last one finished. */
  const job = computed<TrainingProgressState | null>(() => {
    const mine = Object.values(jobs.value).filter((state) => state.plotType === plotType.value);
    return mine.find((state) => !state.finished) ?? mine.at(-1) ?? null;
  });
  const training = computed(() => job.value !== null && !job.value.finished);

  async function loadPlotTypes(): Promise<void> {
    plotTypes.value = await api.get<PlotTypeResponse[]>('/plot-types', { silent: true }).catch(() => []);
  }

  /** Opens a plot type's library; the production model is shown unless `modelId` says which. */
  async function open(name: string, modelId?: string | null): Promise<void> {
    if (plotType.value !== name) {
      plotType.value = name;
      models.value = [];
      selectedId.value = null;
      detail.value = null;
      clearComparison();
    }
    opening = { modelId: modelId ?? null };
    await loadModels();
  }

  async function loadModels(): Promise<void> {
    const name = plotType.value;
    if (!name) return;
    const request = ++listRequest;
    loading.value = true;
    try {
      const list = await api.get<ModelListing[]>(`/plot-types/${name}/models`, { silent: true });
      if (request !== listRequest) return;
      models.value = list;
      loadError.value = null;
    } catch (error) {
      if (request === listRequest) loadError.value = message(error);
      return;
    } finally {
      if (request === listRequest) loading.value = false;
    }
    if (opening) await showOpened(opening.modelId);
  }

  /** The model to show on opening: the one asked for if listed, else the one open, else production's, else the newest. */
  async function showOpened(modelId: string | null): Promise<void> {
    opening = null;
    const wanted = modelId && models.value.some((model) => model.id === modelId) ? modelId : null;
    const target = wanted ?? selectedId.value ?? production.value?.id ?? sortedModels.value[0]?.id ?? null;
    if (target) await select(target);
  }

  async function select(id: string): Promise<void> {
    selectedId.value = id;
    if (compareId.value === id) clearComparison();
    const request = ++detailRequest;
    try {
      const model = await api.get<ModelDetail>(`/models/${id}`, { silent: true });
      if (request !== detailRequest) return;
      detail.value = model;
      detailError.value = null;
      if (compareId.value) await compareWith(compareId.value);
    } catch (error) {
      if (request === detailRequest) detailError.value = message(error);
    }
  }

  /** The opened model beside `otherId`: the other on the left (a), the opened one on the right (b). */
  async function compareWith(otherId: string): Promise<void> {
    compareId.value = otherId;
    const id = selectedId.value;
    if (!id) return;
    try {
      const result = await api.get<ModelComparison>('/models/compare', {
        query: { a: otherId, b: id },
        silent: true,
      });
      if (compareId.value === otherId && selectedId.value === id) comparison.value = result;
    } catch (error) {
      actionError.value = message(error);
    }
  }

  function clearComparison(): void {
    compareId.value = null;
    comparison.value = null;
  }

  /** Runs a write, remembering the server's refusal for the page to show. */
  async function act<T>(key: string, write: () => Promise<T>): Promise<T | null> {
    busy.value = key;
    actionError.value = null;
    try {
      return await write();
    } catch (error) {
      actionError.value = error instanceof ApiError ? error.message : message(error);
      return null;
    } finally {
      busy.value = null;
    }
  }

  async function refresh(): Promise<void> {
    await loadModels();
    if (selectedId.value) await select(selectedId.value);
  }

  async function train(options: TrainingOptions): Promise<TrainingJob | null> {
    const name = plotType.value;
    if (!name) return null;
    const started = await act('train', () =>
      api.post<TrainingJob>(`/plot-types/${name}/training`, { options }, { silent: true }),
    );
    if (started) track(started);
    return started;
  }

  /** What training with these options would cost; null when it cannot be said (the panel then says nothing). */
  async function estimate(options: TrainingOptions): Promise<TrainingEstimate | null> {
    const name = plotType.value;
    if (!name) return null;
    return api
      .post<TrainingEstimate>(`/plot-types/${name}/training/estimate`, { options }, { silent: true })
      .catch(() => null);
  }

  async function cancel(jobId: string): Promise<void> {
    const cancelled = await act(`cancel:${jobId}`, () =>
      api.post<TrainingJob>(`/training-jobs/${jobId}/cancel`, {}, { silent: true }),
    );
    if (cancelled) jobs.value = { ...jobs.value, [jobId]: stateFromJob(cancelled) };
  }

  async function promote(id: string): Promise<void> {
    if (
      await act(`promote:${id}`, () => api.post<ModelListing>(`/models/${id}/promote`, {}, { silent: true }))
    )
      await refresh();
  }

  async function retire(id: string): Promise<void> {
    if (await act(`retire:${id}`, () => api.post<ModelListing>(`/models/${id}/retire`, {}, { silent: true })))
      await refresh();
  }

  /** Back to `modelId`, or to the model in production before the current one. */
  async function rollback(modelId?: string): Promise<void> {
    const name = plotType.value;
    if (!name) return;
    const body = modelId ? { modelId } : {};
    if (
      await act('rollback', () =>
        api.post<ModelListing>(`/plot-types/${name}/rollback`, body, { silent: true }),
      )
    )
      await refresh();
  }

  async function setThreshold(label: string, threshold: number, reason: string): Promise<boolean> {
    const id = selectedId.value;
    if (!id) return false;
    const thresholds = await act(`threshold:${label}`, () =>
      api.put<ModelThreshold[]>(`/models/${id}/thresholds/${label}`, { threshold, reason }, { silent: true }),
    );
    if (!thresholds) return false;
    if (detail.value?.id === id) detail.value = { ...detail.value, thresholds };
    return true;
  }

  function track(started: TrainingJob): void {
    jobs.value = { ...jobs.value, [started.id]: stateFromJob(started) };
  }

  /** A progress event: applied to a known job; an unknown one is looked up once (its plot type). */
  async function onProgress(event: TrainingProgressEvent): Promise<void> {
    const known = jobs.value[event.jobId];
    if (known) {
      jobs.value = { ...jobs.value, [event.jobId]: applyProgress(known, event) };
      if (event.phase === 'failed' || event.phase === 'cancelled') void refreshJob(event.jobId);
      return;
    }
    if (lookingUp.has(event.jobId)) return;
    lookingUp.add(event.jobId);
    try {
      const found = await api.get<TrainingJob>(`/training-jobs/${event.jobId}`, { silent: true });
      const state = jobs.value[event.jobId] ?? queuedState(found);
      jobs.value = { ...jobs.value, [event.jobId]: applyProgress(state, event) };
    } catch {
      // Gone or not allowed: nothing to show.
    } finally {
      lookingUp.delete(event.jobId);
    }
  }

  /** The job's record (a failure's reason, who cancelled it). */
  async function refreshJob(jobId: string): Promise<void> {
    const found = await api.get<TrainingJob>(`/training-jobs/${jobId}`, { silent: true }).catch(() => null);
    if (found)
      jobs.value = { ...jobs.value, [jobId]: { ...stateFromJob(found), ...finishedPart(jobId, found) } };
  }

  const finishedPart = (jobId: string, found: TrainingJob) => {
    const known = jobs.value[jobId];
    return known
      ? {
          epoch: known.epoch,
          totalEpochs: known.totalEpochs,
          loss: known.loss,
          valAccuracy: known.valAccuracy,
          error: found.error,
        }
      : {};
  };

  live.on('training:progress', (event) => void onProgress(event));
  live.on('model:trained', (event) => {
    const state = jobs.value[event.jobId];
    if (state) jobs.value = { ...jobs.value, [event.jobId]: applyProgress(state, { ...doneEvent }) };
    if (event.plotType === plotType.value) void loadModels();
  });
  live.on('model:promoted', (event) => {
    if (event.plotType === plotType.value) void refresh();
  });
  live.onReload(() => {
    if (plotType.value) void refresh();
  });

  return {
    plotTypes,
    plotType,
    models,
    sortedModels,
    production,
    loading,
    loadError,
    selectedId,
    detail,
    detailError,
    compareId,
    comparison,
    jobs,
    job,
    training,
    busy,
    actionError,
    loadPlotTypes,
    open,
    loadModels,
    select,
    compareWith,
    clearComparison,
    train,
    estimate,
    cancel,
    promote,
    retire,
    rollback,
    setThreshold,
    onProgress,
  };
});

const doneEvent = {
  phase: 'done',
  epoch: null,
  totalEpochs: null,
  loss: null,
  valAccuracy: null,
  etaS: null,
} as const;
