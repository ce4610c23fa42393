import { darkTheme, type GlobalThemeOverrides } from 'naive-ui';
import { defineStore } from 'pinia';
import { computed, watchEffect } from 'vue';
import { noticeThemeIsDark } from '../composables/notices';
import { useStoredRef } from '../composables/useStoredRef';

const prefersDark = typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches;

/** Light or dark, remembered per browser; the first visit follows the system setting. */
export const useThemeStore = defineStore('theme', () => {
  const mode = useStoredRef<'light' | 'dark'>('theme', prefersDark ? 'dark' : 'light');
  const dark = computed(() => mode.value === 'dark');
  const naiveTheme = computed(() => (dark.value ? darkTheme : null));
  const overrides = computed<GlobalThemeOverrides>(() => ({
    common: { fontSize: '15px', fontSizeMedium: '15px', borderRadius: '6px' },
  }));

  watchEffect(() => {
    noticeThemeIsDark.value = dark.value;
    document.documentElement.dataset.theme = mode.value;
  });

  function toggle(): void {
    mode.value = dark.value ? 'light' : 'dark';
  }

  return { mode, dark, naiveTheme, overrides, toggle };
});
