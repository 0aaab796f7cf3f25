import { ManagerError } from '../errors/manager-error';

/** What the default slot holds; kept structural so the registry does not import the manager. */
export interface DefaultManagerLike {
  readonly closed: boolean;
}

// A process-wide slot (Symbol.for) rather than a module variable: two installed copies of the
// package must still agree on one default manager, or the "two managers racing for one
// connection" bug comes back through the module cache.
const SLOT = Symbol.for('unified-ws.default-manager');
type Slot = { [SLOT]?: DefaultManagerLike };

export function registerDefaultManager(manager: DefaultManagerLike): void {
  const slot = globalThis as Slot;
  if (slot[SLOT] && slot[SLOT] !== manager)
    throw new ManagerError('UWS_ERR_DEFAULT_MANAGER_EXISTS');
  slot[SLOT] = manager;
}

export function unregisterDefaultManager(manager: DefaultManagerLike): void {
  const slot = globalThis as Slot;
  if (slot[SLOT] === manager) delete slot[SLOT];
}

export function getDefaultManager(): DefaultManagerLike {
  const manager = (globalThis as Slot)[SLOT];
  if (!manager) throw new ManagerError('UWS_ERR_NO_DEFAULT_MANAGER');
  return manager;
}
