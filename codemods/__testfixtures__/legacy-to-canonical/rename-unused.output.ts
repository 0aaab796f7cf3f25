// Imported for its side effect on types only: nothing else names it.
import { WebSocketManager } from 'unified-ws';
