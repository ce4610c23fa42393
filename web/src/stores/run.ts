import type {
  AlarmEvent,
  ImageClassifiedEvent,
  ImageDetail,
  ImageExplainedEvent,
  PlotTypeResponse,
  RunPlotDto,
  RunSnapshotDto,
} from '@hydra/contracts';
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { api, ApiError } from '../composables/api';
import { notices } from '../composables/notices';
import { useLiveFeed } from '../composables/useLiveFeed';
import { addToSparkline, alarmFromEvent, goodMinusBad, type SparkPoint } from './run-cards';

/** A card's state: the snapshot's plot, kept current by live events. */
export type RunPlot = RunPlotDto & { sparkline: SparkPoint[] };

/** Colours of the usual labels when a palette does not say (never the only cue: icons and text too). */
const FALLBACK_COLOURS: Record<string, string> = { Good: '#18a058', Bad: '#d03050', NoData: '#8a8f98' };

export const heatmapUrl = (imageId: string, modelId: string) => `/api/images/${imageId}/heatmaps/${modelId}`;

/**
 * The Run dashboard's state: `GET /api/run` once (and again on a live resync), then only live
 * events — a verdict, a heat map, an alarm transition — no polling.
 */
export const useRunStore = defineStore('run', () => {
  const snapshot = ref<Omit<RunSnapshotDto, 'plots'> | null>(null);
  const plots = ref<Record<string, RunPlot>>({});
  const colours = ref<Record<string, string>>({});
  /** The browser's clock minus the server's, so ages are right on a machine whose clock is off. */
  const clockOffsetMs = ref(0);
  const loading = ref(false);
  const loadError = ref<string | null>(null);
  /** When a live event last changed a card (ms, performance clock), for the benchmark. */
  const lastAppliedAt = ref(0);
  let loadingPromise: Promise<void> | null = null;

  async function fetchSnapshot(): Promise<void> {
    loading.value = true;
    try {
      const [run, plotTypes] = await Promise.all([
        api.get<RunSnapshotDto>('/run', { silent: true }),
        api.get<PlotTypeResponse[]>('/plot-types', { silent: true }).catch(() => [] as PlotTypeResponse[]),
      ]);
      const { plots: list, ...meta } = run;
      snapshot.value = meta;
      clockOffsetMs.value = Date.now() - Date.parse(run.generatedAt);
      plots.value = Object.fromEntries(list.map((plot) => [plot.name, plot]));
      const palette: Record<string, string> = { ...FALLBACK_COLOURS };
      for (const plotType of plotTypes)
        for (const entry of plotType.palette) palette[entry.label] = entry.colour;
      colours.value = palette;
      loadError.value = null;
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 401)) loadError.value = (error as Error).message;
    } finally {
      loading.value = false;
    }
  }

  /** Loads the snapshot; concurrent callers share one request. */
  function load(): Promise<void> {
    loadingPromise ??= fetchSnapshot().finally(() => (loadingPromise = null));
    return loadingPromise;
  }

  /** Loads once (the header and the Run page both need it). */
  function ensureLoaded(): Promise<void> {
    return snapshot.value ? Promise.resolve() : load();
  }

  function touch(): void {
    lastAppliedAt.value = performance.now();
  }

  async function onClassified(event: ImageClassifiedEvent): Promise<void> {
    const plot = plots.value[event.plotType];
    if (!plot) return void load(); // A plot type new to this page: the snapshot has its settings.
    plot.sparkline = addToSparkline(
      plot.sparkline,
      Date.parse(event.occurredAt),
      goodMinusBad(event.outputs),
      Date.now(),
    );
    const verdict = {
      verdict: event.verdict,
      confidence: event.confidence,
      confirmed: event.confirmed,
      modelId: event.modelId,
      outputs: event.outputs,
      classifiedAt: event.occurredAt,
    };
    if (plot.image?.id === event.imageId) {
      plot.verdict = verdict;
      return touch();
    }
    // The event has no run, chunk or capture time: the image's record does.
    const image = await api.get<ImageDetail>(`/images/${event.imageId}`, { silent: true }).catch(() => null);
    // Without the image's record (a slow or failed request) the snapshot tells the truth; never drop it.
    if (!image) return void load();
    const current = plots.value[event.plotType];
    if (!current) return;
    if (current.image && Date.parse(image.capturedAt) < Date.parse(current.image.capturedAt)) return;
    current.image = {
      id: image.id,
      runNumber: image.runNumber,
      chunk: image.chunk,
      capturedAt: image.capturedAt,
      receivedAt: image.ingestedAt,
    };
    current.verdict = verdict;
    const heatmap = event.modelId
      ? image.heatmaps.find((entry) => entry.modelId === event.modelId)
      : undefined;
    current.heatmapUrl = heatmap && event.modelId ? heatmapUrl(image.id, event.modelId) : null;
    if (snapshot.value && image.runNumber > (snapshot.value.runNumber ?? -1))
      snapshot.value.runNumber = image.runNumber;
    touch();
  }

  function onExplained(event: ImageExplainedEvent): void {
    for (const plot of Object.values(plots.value))
      if (
        plot.image?.id === event.imageId &&
        (!plot.verdict?.modelId || plot.verdict.modelId === event.modelId)
      ) {
        plot.heatmapUrl = heatmapUrl(event.imageId, event.modelId);
        touch();
      }
  }

  function onAlarm(event: AlarmEvent): void {
    const plot = plots.value[event.plotType];
    if (!plot) return;
    plot.alarm = alarmFromEvent(plot.alarm, event);
    touch();
  }

  const live = useLiveFeed();
  live.on('image:classified', (event) => void onClassified(event));
  live.on('image:explained', onExplained);
  live.on('alarm:changed', onAlarm);
  live.onReload(() => void load());

  async function acknowledge(plotType: string): Promise<void> {
    await api.post(`/alarms/${plotType}/acknowledge`, {});
    notices.success(`Alarm of ${plotType} acknowledged`);
  }

  async function shelve(plotType: string, until: Date, reason: string): Promise<void> {
    await api.post(`/alarms/${plotType}/shelve`, { until: until.toISOString(), reason });
    notices.success(`Alarm of ${plotType} shelved until ${until.toLocaleTimeString()}`);
  }

  const plotList = computed(() => Object.values(plots.value));
  const colourOf = (label: string | undefined) => (label && colours.value[label]) || '#8a8f98';

  return {
    snapshot,
    plots,
    plotList,
    colours,
    colourOf,
    clockOffsetMs,
    loading,
    loadError,
    lastAppliedAt,
    load,
    ensureLoaded,
    acknowledge,
    shelve,
    // Exposed for tests and for other pages that feed the same events.
    onClassified,
    onExplained,
    onAlarm,
  };
});
