import type { UserRole } from '@hydra/contracts';
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import LoginPage from './pages/LoginPage.vue';
import { useSessionStore } from './stores/session';

declare module 'vue-router' {
  interface RouteMeta {
    /** The page's name in the title bar and the navigation. */
    title?: string;
    /** Shown in the header's navigation. */
    nav?: boolean;
    /** The least role that may open the page (viewer when absent). */
    role?: UserRole;
    /** Open without logging in (the log-in page itself). */
    public?: boolean;
  }
}

/** Every page; a page with `nav: true` appears in the header for the roles that may open it. */
export const routes: RouteRecordRaw[] = [
  { path: '/', redirect: { name: 'run' } },
  { path: '/login', name: 'login', component: LoginPage, meta: { title: 'Log in', public: true } },
  {
    path: '/run',
    name: 'run',
    component: () => import('./pages/RunPage.vue'),
    meta: { title: 'Run', nav: true, role: 'viewer' },
  },
  {
    path: '/labeler',
    name: 'labeler',
    component: () => import('./pages/LabelerPage.vue'),
    meta: { title: 'Labeler', nav: true, role: 'viewer' },
  },
  {
    path: '/log',
    name: 'log',
    component: () => import('./pages/LogPage.vue'),
    meta: { title: 'Log', nav: true, role: 'viewer' },
  },
  {
    path: '/status',
    name: 'status',
    component: () => import('./pages/StatusPage.vue'),
    meta: { title: 'Status', nav: true, role: 'viewer' },
  },
  {
    path: '/library',
    name: 'library',
    component: () => import('./pages/LibraryPage.vue'),
    meta: { title: 'Library', nav: true, role: 'viewer' },
  },
  {
    path: '/library/models/:id/report',
    name: 'training-report',
    component: () => import('./pages/TrainingReportPage.vue'),
    meta: { title: 'Training report', role: 'viewer' },
  },
  {
    path: '/admin',
    name: 'admin',
    component: () => import('./pages/AdminPage.vue'),
    meta: { title: 'Admin', nav: true, role: 'admin' },
  },
  {
    path: '/forbidden',
    name: 'forbidden',
    component: () => import('./pages/ForbiddenPage.vue'),
    meta: { title: 'Not allowed' },
  },
  {
    path: '/:path(.*)*',
    name: 'not-found',
    component: () => import('./pages/NotFoundPage.vue'),
    meta: { title: 'Not found' },
  },
];

export const router = createRouter({ history: createWebHistory(), routes });

// Every page but the log-in needs a session; a page above the user's role explains why it is closed.
router.beforeEach(async (to) => {
  if (to.meta.public) return true;
  const session = useSessionStore();
  const me = session.me ?? (await session.fetchMe().catch(() => null));
  if (!me) return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } };
  if (to.meta.role && !session.can(to.meta.role))
    return { name: 'forbidden', query: { page: String(to.meta.title ?? to.path), role: to.meta.role } };
  return true;
});

router.afterEach((to) => {
  document.title = to.meta.title ? `${to.meta.title} · Hydra` : 'Hydra';
});
