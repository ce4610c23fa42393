import { type MeResponse, type PlotPermission, roleAtLeast, type UserRole } from '@hydra/contracts';
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { api, ApiError, setCsrfToken } from '../composables/api';

/** The least role each per-plot-type permission needs besides the grant (the server's `@Access`). */
const ROLE_FOR: Record<PlotPermission, UserRole> = { label: 'labeler', train: 'expert', promote: 'expert' };

const GRANT_FOR = { label: 'canLabel', train: 'canTrain', promote: 'canPromote' } as const;

/** Whether `me` may `permission` on `plotType`: admins everything, others by role and an admin's grant. */
export function mayOnPlotType(me: MeResponse | null, plotType: string, permission: PlotPermission): boolean {
  if (!me) return false;
  if (me.role === 'admin') return true;
  if (!roleAtLeast(me.role, ROLE_FOR[permission])) return false;
  const grant = me.permissions.find((entry) => entry.plotType === plotType);
  return grant?.[GRANT_FOR[permission]] === true;
}

/** Who is signed in and what they may do; the one place the UI asks before showing an action. */
export const useSessionStore = defineStore('session', () => {
  const me = ref<MeResponse | null>(null);

  function signedIn(value: MeResponse | null): MeResponse | null {
    me.value = value;
    setCsrfToken(value?.csrfToken ?? null);
    return value;
  }

  /** `GET /api/auth/me`; null when nobody is signed in (401). */
  async function fetchMe(): Promise<MeResponse | null> {
    try {
      return signedIn(await api.get<MeResponse>('/auth/me', { allowUnauthorized: true, silent: true }));
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return signedIn(null);
      throw error;
    }
  }

  /** Logs in with a password; throws an ApiError with the server's reason when refused. */
  async function login(name: string, password: string): Promise<MeResponse> {
    const session = await api.post<{ csrfToken: string; expiresAt: string }>(
      '/auth/login',
      { name, password },
      { allowUnauthorized: true, silent: true },
    );
    setCsrfToken(session.csrfToken);
    const current = await fetchMe();
    if (!current) throw new ApiError(401, 'the session was not accepted; are cookies blocked?');
    return current;
  }

  async function logout(): Promise<void> {
    await api.post('/auth/logout', undefined, { allowUnauthorized: true }).catch(() => undefined);
    signedIn(null);
  }

  /** Forget the user without asking the server (it already said 401). */
  function forget(): void {
    signedIn(null);
  }

  const role = computed<UserRole | null>(() => me.value?.role ?? null);
  /** True when the signed-in user's role includes `required`. */
  const can = (required: UserRole) => me.value !== null && roleAtLeast(me.value.role, required);
  const mayOn = (plotType: string, permission: PlotPermission) =>
    mayOnPlotType(me.value, plotType, permission);

  return { me, role, fetchMe, login, logout, forget, can, mayOnPlotType: mayOn };
});
