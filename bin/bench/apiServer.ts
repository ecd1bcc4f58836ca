import { createLocalApi, type LocalApiSettings } from '../../local/app.js';

/**
 * The API in a process of its own, so the load generator does not share its event loop. Settings
 * arrive as JSON in BENCH_API_SETTINGS; the handlers log as deployed (stdout); the port it listens
 * on goes to the parent over IPC.
 */
const settings = JSON.parse(process.env.BENCH_API_SETTINGS ?? '{}') as LocalApiSettings;
const server = await createLocalApi(settings);
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.send?.(typeof address === 'object' && address ? address.port : 0);
});
process.on('SIGTERM', () => process.exit(0));
