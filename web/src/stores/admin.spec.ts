import type { UserResponse } from '@hydra/contracts';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('../composables/notices', () => ({
  notices: { error: vi.fn(), warning: vi.fn(), success: vi.fn() },
}));

import { notices } from '../composables/notices';
import { useAdminStore } from './admin';

const USER: UserResponse = {
  id: '00000000-0000-4000-8000-000000000001',
  name: 'ana',
  displayName: null,
  role: 'labeler',
  disabled: false,
  hasPassword: true,
  createdAt: '2026-01-01T00:00:00Z',
  permissions: [{ plotType: 'A', canLabel: true, canTrain: false, canPromote: false }],
};

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('admin store', () => {
  let calls: { method: string; url: string; body: unknown }[];
  beforeEach(() => {
    setActivePinia(createPinia());
    calls = [];
    vi.mocked(notices.error).mockClear();
  });

  function stub(reply: (method: string, url: string) => Response): void {
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init: RequestInit) => {
        calls.push({
          method: init.method ?? 'GET',
          url,
          body: init.body ? JSON.parse(String(init.body)) : null,
        });
        return reply(init.method ?? 'GET', url);
      }),
    );
  }

  it('deletes a grant when its last permission is switched off and keeps the list in step', async () => {
    stub(() => new Response(null, { status: 204 }));
    const admin = useAdminStore();
    admin.users = [USER];
    await admin.setPermission(USER, 'A', 'canLabel', false);
    expect(calls).toEqual([{ method: 'DELETE', url: `/api/users/${USER.id}/permissions/A`, body: null }]);
    expect(admin.users[0]?.permissions).toEqual([]);
  });

  it('puts a whole grant when one is switched on', async () => {
    stub(() => json({}));
    const admin = useAdminStore();
    admin.users = [USER];
    await admin.setPermission(USER, 'A', 'canTrain', true);
    expect(calls[0]).toMatchObject({
      method: 'PUT',
      body: { canLabel: true, canTrain: true, canPromote: false },
    });
    expect(admin.users[0]?.permissions[0]).toEqual({
      plotType: 'A',
      canLabel: true,
      canTrain: true,
      canPromote: false,
    });
  });

  it('keeps the secret out of the token list', async () => {
    stub((method) =>
      method === 'POST'
        ? json({ id: 't1', name: 'daq', user: 'daq', role: 'shift', token: 'hyd_secret', revokedAt: null })
        : json([USER]),
    );
    const admin = useAdminStore();
    const created = await admin.createToken({ name: 'daq', role: 'shift' });
    expect(created.token).toBe('hyd_secret');
    expect(admin.tokens).toHaveLength(1);
    expect(JSON.stringify(admin.tokens)).not.toContain('hyd_secret');
  });

  it('shows a 403 with the server message and keeps the page (loadError, no throw)', async () => {
    stub(() => json({ statusCode: 403, message: 'admins only' }, 403));
    const admin = useAdminStore();
    await admin.load();
    expect(admin.loadError).toBe('admins only');
    await expect(admin.updateUser(USER.id, { role: 'viewer' })).rejects.toMatchObject({ status: 403 });
    expect(notices.error).toHaveBeenCalledWith('Not allowed: admins only');
  });
});
