import { createDiscreteApi, darkTheme, type ConfigProviderProps } from 'naive-ui';
import { computed, ref } from 'vue';

/** The theme the toasts follow; the theme store keeps it in step. */
export const noticeThemeIsDark = ref(false);

const configProviderProps = computed<ConfigProviderProps>(() => ({
  theme: noticeThemeIsDark.value ? darkTheme : null,
}));

/** Toasts usable outside components (the API client, stores), in the app's theme. */
const { message } = createDiscreteApi(['message'], { configProviderProps });

export const notices = {
  error: (text: string) => message.error(text, { duration: 8000, closable: true, keepAliveOnHover: true }),
  warning: (text: string) => message.warning(text, { duration: 6000, closable: true }),
  success: (text: string) => message.success(text, { duration: 3000 }),
};
