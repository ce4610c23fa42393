import type {
  ImageListItem,
  ImagePage,
  LeaderboardEntry,
  PaletteEntry,
  PlotTypeResponse,
  QueueOrder,
} from '@hydra/contracts';
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { api, ApiError } from '../composables/api';
import { notices } from '../composables/notices';
import { useStoredRef } from '../composables/useStoredRef';
import {
  acceptModel as acceptModelPaint,
  buildBatch,
  type Paint,
  paintAt,
  type PendingBatch,
} from './labeler-keys';
import { useSessionStore } from './session';

export type LabelerMode = 'queue' | 'editor';

/** Editor mode's filters on `GET /api/images` (labeled images only). */
export interface EditorFilters {
  label: string | null;
  runFrom: number | null;
  runTo: number | null;
  verdict: string | null;
  disagreement: boolean;
}

const emptyFilters = (): EditorFilters => ({
  label: null,
  runFrom: null,
  runTo: null,
  verdict: null,
  disagreement: false,
});

/** A page fetched ahead, with the cursor it was fetched at. */
interface Prefetched {
  key: string;
  page: Promise<ImagePage>;
}

const FALLBACK_COLOUR = '#8a8f98';

function preloadThumbnails(items: readonly ImageListItem[]): void {
  if (typeof Image === 'undefined') return;
  for (const item of items) {
    const image = new Image();
    image.decoding = 'async';
    image.src = item.thumbnailUrl;
  }
}

/**
 * The Labeler: a plot type's queue (or, in editor mode, its labeled images) a page at a time, the
 * paint not yet stored, and the batches that store it. The next page is fetched (thumbnails too)
 * while the current one is painted.
 */
export const useLabelerStore = defineStore('labeler', () => {
  const session = useSessionStore();
  const plotTypes = ref<PlotTypeResponse[]>([]);
  const plotType = useStoredRef<string | null>('labeler.plotType', null);
  const mode = ref<LabelerMode>('queue');
  const order = useStoredRef<QueueOrder>('labeler.order', 'newest');
  const columns = useStoredRef<number>('labeler.columns', 10);
  const pageSize = useStoredRef<number>('labeler.pageSize', 60);
  const filters = ref<EditorFilters>(emptyFilters());

  const items = shallowRef<ImageListItem[]>([]);
  const cursor = ref<string | null>(null);
  const nextCursor = ref<string | null>(null);
  /** Counts the pages shown, so tests and the bench can tell a new page from the old. */
  const pageSeq = ref(0);
  const loading = ref(false);
  const loadError = ref<string | null>(null);

  const paint = ref<Paint>({});
  const anchor = ref<number | null>(null);
  const currentLabel = ref<string | null>(null);
  const pending = shallowRef<PendingBatch | null>(null);
  const applying = ref(false);
  /** The server's reason the last apply or undo failed (a 403's message), shown on the page. */
  const actionError = ref<string | null>(null);
  /** Labels stored by this page in this visit (the bench reads it). */
  const storedCount = ref(0);
  const canUndo = ref(false);
  const leaderboard = ref<LeaderboardEntry[]>([]);
  let prefetched: Prefetched | null = null;

  /** Plot types to pick from: those the user may label (all for an admin); every one, read-only, for the others. */
  const choices = computed(() => {
    const labelable = plotTypes.value.filter((entry) => session.mayOnPlotType(entry.name, 'label'));
    return labelable.length > 0 ? labelable : plotTypes.value;
  });
  const current = computed(() => plotTypes.value.find((entry) => entry.name === plotType.value) ?? null);
  const palette = computed<PaletteEntry[]>(() => current.value?.palette ?? []);
  const canLabel = computed(() => plotType.value !== null && session.mayOnPlotType(plotType.value, 'label'));
  const paintedCount = computed(() => Object.keys(paint.value).length);
  const colourOf = (label: string | null | undefined): string =>
    palette.value.find((entry) => entry.label === label)?.colour ?? FALLBACK_COLOUR;

  function pageKey(at: string | null): string {
    const f = filters.value;
    return JSON.stringify([plotType.value, mode.value, order.value, pageSize.value, f, at]);
  }

  function fetchPage(at: string | null): Promise<ImagePage> {
    const name = plotType.value as string;
    if (mode.value === 'queue')
      return api.get<ImagePage>(`/plot-types/${name}/queue`, {
        query: { order: order.value, limit: pageSize.value, cursor: at ?? undefined },
        silent: true,
      });
    const f = filters.value;
    return api.get<ImagePage>('/images', {
      query: {
        plotType: name,
        label: f.label ?? undefined,
        unlabeled: f.label ? undefined : 'false',
        runFrom: f.runFrom ?? undefined,
        runTo: f.runTo ?? undefined,
        verdict: f.verdict ?? undefined,
        disagreement: f.disagreement ? 'true' : undefined,
        limit: pageSize.value,
        cursor: at ?? undefined,
      },
      silent: true,
    });
  }

  /** Starts fetching the page after this one, and its thumbnails, while this one is painted. */
  function prefetchNext(): void {
    const at = nextCursor.value;
    if (at === null) return void (prefetched = null);
    const key = pageKey(at);
    if (prefetched?.key === key) return;
    const page = fetchPage(at);
    prefetched = { key, page };
    page.then((result) => preloadThumbnails(result.items)).catch(() => (prefetched = null));
  }

  function show(page: ImagePage, at: string | null): void {
    items.value = page.items;
    cursor.value = at;
    nextCursor.value = page.nextCursor;
    paint.value = {};
    anchor.value = null;
    pending.value = null;
    pageSeq.value++;
    prefetchNext();
  }

  /** Shows the page at `at` (the first page when null), the prefetched one when it is that page. */
  async function loadPage(at: string | null = null): Promise<void> {
    if (!plotType.value) return;
    loading.value = true;
    try {
      const key = pageKey(at);
      const ready = prefetched?.key === key ? prefetched.page : null;
      prefetched = null;
      const page = await (ready ?? fetchPage(at)).catch((error: unknown) => {
        if (ready) return fetchPage(at); // the prefetch failed: ask again
        throw error;
      });
      show(page, at);
      loadError.value = null;
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 401)) loadError.value = (error as Error).message;
    } finally {
      loading.value = false;
    }
  }

  async function loadLeaderboard(): Promise<void> {
    if (!plotType.value) return;
    leaderboard.value = await api
      .get<LeaderboardEntry[]>(`/plot-types/${plotType.value}/leaderboard`, { silent: true })
      .catch(() => leaderboard.value);
  }

  /** The plot types and their palettes, then the chosen (or first) plot type's first page. */
  async function load(requested?: string | null): Promise<void> {
    try {
      plotTypes.value = await api.get<PlotTypeResponse[]>('/plot-types', { silent: true });
      loadError.value = null;
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 401)) loadError.value = (error as Error).message;
      return;
    }
    const names = choices.value.map((entry) => entry.name);
    const wanted = [requested, plotType.value].find((name) => name && names.includes(name));
    await selectPlotType(wanted ?? names[0] ?? null);
  }

  async function selectPlotType(name: string | null): Promise<void> {
    plotType.value = name;
    canUndo.value = false;
    actionError.value = null;
    currentLabel.value = palette.value[0]?.label ?? null;
    items.value = [];
    if (!name) return;
    await Promise.all([loadPage(null), loadLeaderboard()]);
  }

  function reload(): Promise<void> {
    prefetched = null;
    return loadPage(null);
  }

  function setMode(value: LabelerMode): Promise<void> {
    mode.value = value;
    return reload();
  }
  function setOrder(value: QueueOrder): Promise<void> {
    order.value = value;
    return reload();
  }
  function setPageSize(value: number): Promise<void> {
    pageSize.value = value;
    return reload();
  }
  function setFilters(value: EditorFilters): Promise<void> {
    filters.value = value;
    return reload();
  }

  function selectLabel(label: string): void {
    currentLabel.value = label;
  }

  /** A click on the image at `index`; Shift paints the range from the last painted image. */
  function paintImage(index: number, shift: boolean): void {
    if (!canLabel.value || !currentLabel.value) return;
    const result = paintAt(items.value, paint.value, anchor.value, index, currentLabel.value, shift);
    paint.value = result.paint;
    anchor.value = result.anchor;
  }

  function acceptModel(): void {
    if (!canLabel.value) return;
    paint.value = acceptModelPaint(items.value, paint.value, palette.value);
  }

  function clearPaint(): void {
    paint.value = {};
    anchor.value = null;
  }

  /** The next page: the queue after this page, or its start again at the end (skipped images come back). */
  function nextPage(): Promise<void> {
    return loadPage(nextCursor.value);
  }

  /**
   * Enter: stores the paint as one batch with a client-made id. On failure the paint stays and the
   * next Enter sends the same batch id again. With nothing painted it moves to the next page; when
   * every image of the page is labeled afterwards, the next page comes at once.
   */
  async function apply(): Promise<void> {
    if (!canLabel.value || applying.value || !plotType.value) return;
    const batch = buildBatch(items.value, paint.value, pending.value, () => crypto.randomUUID());
    if (!batch) return nextPage();
    pending.value = batch;
    applying.value = true;
    try {
      await api.post(`/plot-types/${plotType.value}/labels`, batch.batch, { silent: true });
      actionError.value = null;
      storedCount.value += batch.batch.items.length;
      canUndo.value = true;
      const stored = new Map(batch.batch.items.map((item) => [item.imageId, item.label]));
      items.value = items.value.map((item) =>
        stored.has(item.id) ? { ...item, label: stored.get(item.id) as string } : item,
      );
      paint.value = {};
      anchor.value = null;
      pending.value = null;
      void loadLeaderboard();
      const untouched = items.value.some((item) => item.label === null);
      if (mode.value === 'queue' && !untouched) await nextPage();
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return;
      const message = (error as Error).message;
      actionError.value =
        error instanceof ApiError && error.status === 403
          ? `Not allowed: ${message}`
          : `The labels were not stored (${message}); press Enter to try again.`;
      notices.error(actionError.value);
    } finally {
      applying.value = false;
    }
  }

  /** Ctrl-Z: the API takes back the caller's last batch; the page is loaded again to show it. */
  async function undo(): Promise<void> {
    if (!canLabel.value || !plotType.value || applying.value) return;
    applying.value = true;
    try {
      const result = await api.post<{ restored: number; skipped: number }>(
        `/plot-types/${plotType.value}/labels/undo`,
        {},
        { silent: true },
      );
      actionError.value = null;
      canUndo.value = false;
      storedCount.value -= result.restored;
      notices.success(
        `Undone: ${result.restored} label(s) restored` +
          (result.skipped ? `, ${result.skipped} kept (labeled again since)` : ''),
      );
      void loadLeaderboard();
      await reload();
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return;
      const message = (error as Error).message;
      if (error instanceof ApiError && error.status === 409) {
        canUndo.value = false;
        notices.warning(`Nothing to undo: ${message}`);
      } else {
        actionError.value =
          error instanceof ApiError && error.status === 403 ? `Not allowed: ${message}` : message;
        notices.error(actionError.value);
      }
    } finally {
      applying.value = false;
    }
  }

  return {
    plotTypes,
    plotType,
    mode,
    order,
    columns,
    pageSize,
    filters,
    items,
    cursor,
    nextCursor,
    pageSeq,
    loading,
    loadError,
    paint,
    anchor,
    currentLabel,
    pending,
    applying,
    actionError,
    storedCount,
    canUndo,
    leaderboard,
    choices,
    current,
    palette,
    canLabel,
    paintedCount,
    colourOf,
    load,
    selectPlotType,
    reload,
    setMode,
    setOrder,
    setPageSize,
    setFilters,
    selectLabel,
    paintImage,
    acceptModel,
    clearPaint,
    nextPage,
    apply,
    undo,
  };
});
