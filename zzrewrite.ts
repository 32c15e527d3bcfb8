import { createStore } from './src/config/createStore.js';
import { ChangeSet } from './src/store/ChangeSet.js';
const store = createStore({ remote: 'http://127.0.0.1:47123/fleet.git', cacheDir: '/tmp/exp/fx/cache-rewriter', actor: 'rewriter', freshForMs: 0 });
const n = Number(process.argv[2] ?? 50);
await store.transact('rewrite', async (snap) => {
  const { records } = await snap.list('status');
  const cs = new ChangeSet();
  for (const r of records.slice(0, n)) cs.put('status', { ...r, updatedAt: new Date().toISOString(), seq: (r.seq ?? 0) + 1 });
  return cs;
});
await store.close();
