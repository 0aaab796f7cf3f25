import type { ConnectionHub } from './connection-hub';

export type Presence = 'online' | 'offline';

/** What the contact list shows for a user. */
export function presenceOf(hub: ConnectionHub, userId: string): Presence {
  return hub.isConnected(userId) ? 'online' : 'offline';
}
