import { ref, type Ref, watch } from 'vue';

/** A ref remembered in localStorage under `hydra.<key>` (JSON); a missing or unreadable value gives `initial`. */
export function useStoredRef<T>(key: string, initial: T): Ref<T> {
  const storageKey = `hydra.${key}`;
  const value = ref(readStored(storageKey, initial)) as Ref<T>;
  watch(
    value,
    (current) => {
      try {
        localStorage.setItem(storageKey, JSON.stringify(current));
      } catch {
        // Private mode or a full quota: the preference lasts for this visit only.
      }
    },
    { deep: true },
  );
  return value;
}

function readStored<T>(key: string, initial: T): T {
  try {
    const stored = localStorage.getItem(key);
    return stored === null ? initial : (JSON.parse(stored) as T);
  } catch {
    return initial;
  }
}
