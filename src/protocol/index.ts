export * from './envelope';
export * from './codes';
export { decodeInbound, errorFrame, type DecodeResult } from './codec';
export { findOrderViolation } from './event-order';
