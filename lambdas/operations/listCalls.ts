import { AthosError } from '../domain/errors.js';
import type { BusinessMetrics, CallLister, CallPage, CursorCodec } from '../domain/ports.js';
import type { ListCallsRequest } from '../domain/requests/listCalls.js';

export interface ListCallsPorts {
  readonly calls: CallLister;
  readonly cursors: CursorCodec;
  readonly metrics: BusinessMetrics;
}

/**
 * A page of the tenant's scored calls, newest first.
 * 1. Normalise the window to UTC; a window that ends before it starts is INVALID_REQUEST.
 * 2. Open the cursor, which only this tenant with these filters can open.
 * 3. Read one page from the index that fits the filters; seal where it ended into the next cursor.
 * A page may hold fewer rows than `limit` while `nextCursor` is not null (AIP-158): the store bounds
 * its work per request rather than reading on until the page is full.
 */
export const listCalls = async (
  { calls, cursors, metrics }: ListCallsPorts,
  tenantId: string,
  request: ListCallsRequest,
): Promise<{ page: CallPage; nextCursor: string | null }> => {
  const from = new Date(request.from).toISOString();
  const to = request.to === undefined ? undefined : new Date(request.to).toISOString();
  if (to !== undefined && to < from) throw new AthosError('INVALID_REQUEST', 'to must not be before from');

  const filters = {
    tenantId,
    from,
    ...(to === undefined ? {} : { to }),
    ...(request.source === undefined ? {} : { source: request.source }),
    ...(request.externalUserId === undefined ? {} : { externalUserId: request.externalUserId }),
    ...(request.externalAgencyId === undefined ? {} : { externalAgencyId: request.externalAgencyId }),
  };
  // The cursor opens only for these filters (built in a fixed order, absent ones left out). Page
  // size is not among them on purpose: a client may change it between pages.
  const binding = JSON.stringify(filters);
  const after = request.cursor === undefined ? undefined : openCursor(cursors, metrics, request.cursor, binding);

  const page = await calls.listScoredCalls({
    ...filters,
    limit: request.limit,
    ...(after === undefined ? {} : { after }),
  });
  metrics.listRowsReturned(page.calls.length);
  return { page, nextCursor: page.next === undefined ? null : cursors.encode(page.next, binding) };
};

/** A refused cursor is counted: many of them mean a client mishandles paging, or someone probes. */
const openCursor = (cursors: CursorCodec, metrics: BusinessMetrics, cursor: string, binding: string) => {
  try {
    return cursors.decode(cursor, binding);
  } catch (error) {
    metrics.cursorRejected();
    throw error;
  }
};
