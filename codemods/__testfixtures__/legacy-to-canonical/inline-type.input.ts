import { type UserContext, getWebSocketManager } from 'unified-ws/websocket-core/websocket-manager';

export const send = (ctx: UserContext) => getWebSocketManager().forUser(ctx).send('note', {});
