import { watch } from 'vue';
import { useRunStore } from '../stores/run';
import { useSessionStore } from '../stores/session';
import { sessionExpired } from './api';
import { startLiveFeed, stopLiveFeed } from './useLiveFeed';

/** While someone is signed in: the live connection is open and the header's run snapshot is loaded. */
export function useLiveSession(): void {
  const session = useSessionStore();
  const run = useRunStore();
  watch(
    () => session.me?.id,
    (userId) => {
      if (userId) {
        startLiveFeed({ onUnauthorized: sessionExpired });
        void run.ensureLoaded();
      } else {
        stopLiveFeed();
      }
    },
    { immediate: true },
  );
}
