import type { LogDto, PlotTypeResponse } from '@hydra/contracts';
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { api, ApiError, apiUrl } from '../composables/api';
import { DEFAULT_LOG_FILTERS, filterOptions, type LogFilters, logQuery, logSummary } from './log-query';

/** The Log page: confirmed-Bad and unconfirmed verdicts in a window, filtered. */
export const useLogStore = defineStore('log', () => {
  const filters = ref<LogFilters>({ ...DEFAULT_LOG_FILTERS });
  const log = ref<LogDto | null>(null);
  const plotTypes = ref<{ name: string; group: string | null }[]>([]);
  const loading = ref(false);
  const loadError = ref<string | null>(null);
  /** When the window was last set to end; the CSV link uses the same window as the table. */
  const loadedAt = ref(Date.now());

  const options = computed(() => filterOptions(plotTypes.value));
  const summary = computed(() => logSummary(log.value?.entries ?? []));
  /** `GET /api/log?format=csv`: a plain link, so the browser downloads it with the session cookie. */
  const csvUrl = computed(() => apiUrl('/log', logQuery(filters.value, loadedAt.value, 'csv')));

  async function loadPlotTypes(): Promise<void> {
    const list = await api.get<PlotTypeResponse[]>('/plot-types', { silent: true }).catch(() => []);
    plotTypes.value = list.map(({ name, group }) => ({ name, group }));
  }

  async function load(): Promise<void> {
    loading.value = true;
    loadedAt.value = Date.now();
    try {
      log.value = await api.get<LogDto>('/log', {
        query: logQuery(filters.value, loadedAt.value),
        silent: true,
      });
      loadError.value = null;
    } catch (error) {
      loadError.value = error instanceof ApiError ? error.message : String(error);
    } finally {
      loading.value = false;
    }
  }

  function reset(): void {
    filters.value = { ...DEFAULT_LOG_FILTERS };
  }

  return {
    filters,
    log,
    plotTypes,
    loading,
    loadError,
    options,
    summary,
    csvUrl,
    loadPlotTypes,
    load,
    reset,
  };
});
