import type { Envelope } from './envelope';

/**
 * Checks envelopes of one run, as a client received them, against the agent event order. Returns
 * a description of the first violation, or undefined. Used by the demo and tests to verify what
 * arrived, independently of AgentRun, which enforces the order where events are sent.
 */
export function findOrderViolation(envelopes: readonly Envelope[]): string | undefined {
  const open = new Set<string>();
  let state: 'before' | 'running' | 'done' = 'before';
  for (const { type, payload, seq } of envelopes) {
    const callId = (payload as { callId?: string } | undefined)?.callId ?? '';
    if (state === 'done') return `#${seq} ${type} after agent_completed`;
    if (state === 'before') {
      if (type !== 'agent_started') return `#${seq} ${type} before agent_started`;
      state = 'running';
      continue;
    }
    switch (type) {
      case 'agent_started':
        return `#${seq} a second agent_started`;
      case 'tool_executing':
        open.add(callId);
        break;
      case 'tool_completed':
        if (!open.delete(callId))
          return `#${seq} tool_completed for ${callId} without its tool_executing`;
        break;
      case 'agent_completed':
        if (open.size > 0) return `#${seq} agent_completed with open tool calls`;
        state = 'done';
        break;
      default:
        break;
    }
  }
  return state === 'done' ? undefined : 'no agent_completed';
}
