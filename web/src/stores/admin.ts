import type {
  PlotTypeCreateDto,
  PlotTypeResponse,
  PlotTypeSettingsDto,
  TokenCreatedResponse,
  TokenCreateDto,
  TokenResponse,
  UserCreateDto,
  UserResponse,
  UserUpdateDto,
} from '@hydra/contracts';
import { defineStore } from 'pinia';
import { ref } from 'vue';
import { api, ApiError } from '../composables/api';
import { notices } from '../composables/notices';
import { type GrantKey, toggledGrant } from './admin-settings';

const messageOf = (error: unknown) => (error instanceof ApiError ? error.message : String(error));

/**
 * The Admin page: plot types, users and API tokens. Writes throw after the API client has shown the
 * server's reason (a 403 included), so a form stays open to try again.
 */
export const useAdminStore = defineStore('admin', () => {
  const plotTypes = ref<PlotTypeResponse[]>([]);
  const users = ref<UserResponse[]>([]);
  const tokens = ref<TokenResponse[]>([]);
  const loadError = ref<string | null>(null);
  const loading = ref(false);

  async function load(): Promise<void> {
    loading.value = true;
    try {
      const [plotTypeList, userList, tokenList] = await Promise.all([
        api.get<PlotTypeResponse[]>('/plot-types', { silent: true }),
        api.get<UserResponse[]>('/users', { silent: true }),
        api.get<TokenResponse[]>('/tokens', { silent: true }),
      ]);
      plotTypes.value = plotTypeList;
      users.value = userList;
      tokens.value = tokenList;
      loadError.value = null;
    } catch (error) {
      loadError.value = messageOf(error);
    } finally {
      loading.value = false;
    }
  }

  function putPlotType(plotType: PlotTypeResponse): PlotTypeResponse {
    const index = plotTypes.value.findIndex((entry) => entry.name === plotType.name);
    if (index >= 0) plotTypes.value.splice(index, 1, plotType);
    else plotTypes.value = [...plotTypes.value, plotType].sort((a, b) => a.name.localeCompare(b.name));
    return plotType;
  }

  function putUser(user: UserResponse): UserResponse {
    const index = users.value.findIndex((entry) => entry.id === user.id);
    if (index >= 0) users.value.splice(index, 1, user);
    else users.value = [...users.value, user];
    return user;
  }

  async function createPlotType(dto: PlotTypeCreateDto): Promise<PlotTypeResponse> {
    const created = putPlotType(await api.post<PlotTypeResponse>('/plot-types', dto));
    notices.success(`Plot type ${created.name} created`);
    return created;
  }

  async function updatePlotType(name: string, patch: PlotTypeSettingsDto): Promise<PlotTypeResponse> {
    const updated = putPlotType(
      await api.patch<PlotTypeResponse>(`/plot-types/${encodeURIComponent(name)}`, patch),
    );
    notices.success(`${name} saved`);
    return updated;
  }

  async function createUser(dto: UserCreateDto): Promise<UserResponse> {
    const created = putUser(await api.post<UserResponse>('/users', dto));
    notices.success(`User ${created.name} created`);
    return created;
  }

  async function updateUser(id: string, dto: UserUpdateDto): Promise<UserResponse> {
    return putUser(await api.patch<UserResponse>(`/users/${id}`, dto));
  }

  /** Switches one of a user's permissions on a plot type: PUT the grant, or DELETE it when none is left. */
  async function setPermission(user: UserResponse, plotType: string, key: GrantKey, value: boolean) {
    const grant = toggledGrant(user, plotType, key, value);
    const path = `/users/${user.id}/permissions/${encodeURIComponent(plotType)}`;
    if (grant) await api.put(path, grant);
    else await api.delete(path);
    const others = user.permissions.filter((entry) => entry.plotType !== plotType);
    putUser({ ...user, permissions: grant ? [...others, { plotType, ...grant }] : others });
  }

  async function revokeSessions(user: UserResponse): Promise<void> {
    await api.post(`/users/${user.id}/sessions/revoke`);
    notices.success(`Every session of ${user.name} ended`);
  }

  async function createToken(dto: TokenCreateDto): Promise<TokenCreatedResponse> {
    const created = await api.post<TokenCreatedResponse>('/tokens', dto);
    const { token: _secret, ...listed } = created;
    tokens.value = [listed, ...tokens.value];
    // A new account may have been made for the token.
    void api
      .get<UserResponse[]>('/users', { silent: true })
      .then((list) => (users.value = list))
      .catch(() => undefined);
    return created;
  }

  async function revokeToken(id: string): Promise<void> {
    const revoked = await api.delete<TokenResponse>(`/tokens/${id}`);
    tokens.value = tokens.value.map((token) => (token.id === id ? revoked : token));
    notices.success('Token revoked');
  }

  return {
    plotTypes,
    users,
    tokens,
    loadError,
    loading,
    load,
    createPlotType,
    updatePlotType,
    createUser,
    updateUser,
    setPermission,
    revokeSessions,
    createToken,
    revokeToken,
  };
});
