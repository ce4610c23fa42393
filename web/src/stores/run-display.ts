import { defineStore } from 'pinia';
import { computed } from 'vue';
import { useStoredRef } from '../composables/useStoredRef';

/** How this browser shows the Run page (a control-room screen keeps its own): remembered in localStorage. */
export const useRunDisplayStore = defineStore('run-display', () => {
  const heatmapOverlay = useStoredRef('run.heatmapOverlay', true);
  const heatmapOpacity = useStoredRef('run.heatmapOpacity', 0.6);
  const alarmSound = useStoredRef('run.alarmSound', false);
  const hiddenCards = useStoredRef<string[]>('run.hiddenCards', []);
  const hidden = computed(() => new Set(hiddenCards.value));

  function hide(plotType: string): void {
    if (!hidden.value.has(plotType)) hiddenCards.value = [...hiddenCards.value, plotType];
  }
  function show(plotType: string): void {
    hiddenCards.value = hiddenCards.value.filter((name) => name !== plotType);
  }
  function showAll(): void {
    hiddenCards.value = [];
  }

  return { heatmapOverlay, heatmapOpacity, alarmSound, hiddenCards, hidden, hide, show, showAll };
});
