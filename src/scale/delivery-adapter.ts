import type { Envelope, OutboundMessage, StreamPosition } from '../protocol/envelope';

/** A replay either covers the whole gap or nothing: never part of it. */
export type ReplayResult =
  | { recovered: true; frames: ReplayedFrame[]; position: StreamPosition }
  | { recovered: false; position: StreamPosition };

/** A frame from a user's history: only what a replay sends. */
export interface ReplayedFrame {
  seq: number;
  frame: string;
  bytes: number;
}

/**
 * An envelope together with its encoded frame, so a fan-out or a replay never re-encodes. The
 * frame stays a string: ws writes a string straight to the socket, where a Buffer would cost an
 * extra copy and garbage per message; `bytes` is its UTF-8 length, for send budgets.
 */
export interface StoredEnvelope {
  envelope: Envelope;
  frame: string;
  bytes: number;
}

/** Called by the adapter for every envelope of a user that this node delivers to. */
export type DeliverFn = (stored: StoredEnvelope) => void;

/** What an adapter may ask of the manager. */
export interface AdapterHooks {
  /**
   * The adapter lost envelopes of this user it cannot recover (a gap the stream no longer holds):
   * the user's connections must resume, and will learn `recovered: false` if need be.
   */
  resync(userId: string): void;
}

type MaybePromise<T> = T | Promise<T>;

/**
 * Where a user's stream lives. The manager never sends to sockets on its own: a channel publishes
 * to the adapter, the adapter assigns seq/epoch, keeps the history, and hands the envelope back to
 * every node that subscribed to that user. In one process that is a function call; across nodes
 * it is Redis (see docs/scaling.md), with no change to the manager or to senders.
 */
export interface DeliveryAdapter {
  /** Called once by the manager before any other method. */
  start(deliver: DeliverFn, hooks?: AdapterHooks): MaybePromise<void>;
  /**
   * This node now holds a connection of the user. Once it settles, every envelope after a
   * `position` read from then on reaches `deliver`: the manager welcomes no connection of the user
   * (nor answers its resume) before. Called again while subscribed, it changes nothing.
   */
  subscribe(userId: string): MaybePromise<void>;
  /** This node holds no more connections of the user; a later subscribe starts afresh. */
  unsubscribe(userId: string): MaybePromise<void>;
  /** Appends to the user's stream and delivers it; resolves with the stored envelope. */
  publish(userId: string, message: OutboundMessage): MaybePromise<StoredEnvelope>;
  /** Every envelope after `from`, or `recovered: false` when the stream cannot prove it has them all. */
  replay(userId: string, from: StreamPosition): MaybePromise<ReplayResult>;
  /** The head of the user's stream (seq of the newest envelope, 0 for none). */
  position(userId: string): MaybePromise<StreamPosition>;
  close(): Promise<void>;
}
