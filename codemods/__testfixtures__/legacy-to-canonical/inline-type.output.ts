import { type UserContext, getWebSocketManager } from 'unified-ws';

export const send = (ctx: UserContext) => getWebSocketManager().forUser(ctx).send('note', {});
