import type { CallStore } from '../domain/ports.js';
import { createCallLister } from './calls/lister.js';
import { createCallReader } from './calls/reader.js';
import { createCallRedemptions } from './calls/redemptions.js';
import { createCallLifecycle } from './calls/lifecycle.js';
import type { Table } from './table.js';

/**
 * Every call operation at once, for tools (seed, operator CLI, tests). A handler imports only the
 * part its operation uses, so its bundle carries nothing else.
 */
export const createCallStore = (table: Table): CallStore => ({
  ...createCallRedemptions(table),
  ...createCallReader(table),
  ...createCallLister(table),
  ...createCallLifecycle(table),
});
