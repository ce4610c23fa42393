import type { MeResponse } from '@hydra/contracts';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('../composables/notices', () => ({
  notices: { error: vi.fn(), warning: vi.fn(), success: vi.fn() },
}));

import { mayOnPlotType, useSessionStore } from './session';

const me = (role: MeResponse['role'], permissions: MeResponse['permissions'] = []): MeResponse => ({
  id: 'u1',
  name: 'ana',
  displayName: null,
  role,
  via: 'session',
  permissions,
  csrfToken: 'csrf-1',
});

describe('what a user may do', () => {
  it('lets an admin do everything on every plot type', () => {
    expect(mayOnPlotType(me('admin'), 'FCAL', 'promote')).toBe(true);
  });

  it('lets a labeler label only the plot types granted, and never train', () => {
    const labeler = me('labeler', [{ plotType: 'FCAL', canLabel: true, canTrain: true, canPromote: false }]);
    expect(mayOnPlotType(labeler, 'FCAL', 'label')).toBe(true);
    expect(mayOnPlotType(labeler, 'CDC', 'label')).toBe(false);
    expect(mayOnPlotType(labeler, 'FCAL', 'train')).toBe(false);
  });

  it('lets an expert train and promote where granted', () => {
    const expert = me('expert', [{ plotType: 'FCAL', canLabel: false, canTrain: true, canPromote: false }]);
    expect(mayOnPlotType(expert, 'FCAL', 'train')).toBe(true);
    expect(mayOnPlotType(expert, 'FCAL', 'promote')).toBe(false);
    expect(mayOnPlotType(null, 'FCAL', 'label')).toBe(false);
  });
});

describe('the session store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('orders roles viewer < shift < labeler < expert < admin', () => {
    const session = useSessionStore();
    session.me = me('shift');
    expect(session.can('viewer')).toBe(true);
    expect(session.can('shift')).toBe(true);
    expect(session.can('labeler')).toBe(false);
  });

  it('is signed out when /api/auth/me answers 401', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response(JSON.stringify({ message: 'log in' }), { status: 401 })),
    );
    const session = useSessionStore();
    expect(await session.fetchMe()).toBeNull();
    expect(session.can('viewer')).toBe(false);
  });
});
