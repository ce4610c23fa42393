import type { StatusDto } from '@hydra/contracts';
import { defineStore } from 'pinia';
import { ref } from 'vue';
import { api, ApiError } from '../composables/api';

/** How often the Status page refreshes by itself. */
export const STATUS_REFRESH_MS = 30_000;

/** The Status page: latency, images per day, consumer lag and the services' health. */
export const useStatusStore = defineStore('status', () => {
  const status = ref<StatusDto | null>(null);
  const loading = ref(false);
  const loadError = ref<string | null>(null);

  async function load(): Promise<void> {
    if (loading.value) return;
    loading.value = true;
    try {
      status.value = await api.get<StatusDto>('/status', { silent: true });
      loadError.value = null;
    } catch (error) {
      loadError.value = error instanceof ApiError ? error.message : String(error);
    } finally {
      loading.value = false;
    }
  }

  return { status, loading, loadError, load };
});
