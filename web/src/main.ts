import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { onUnauthorized } from './composables/api';
import { router } from './router';
import { useSessionStore } from './stores/session';
import './styles.css';

const app = createApp(App);
app.use(createPinia());
app.use(router);

// A 401 from any request: the session ended, so log in again and come back here.
onUnauthorized(() => {
  useSessionStore().forget();
  const here = router.currentRoute.value;
  if (here.name !== 'login') void router.push({ name: 'login', query: { redirect: here.fullPath } });
});

app.mount('#app');
