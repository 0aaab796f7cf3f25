import type { Agent } from '../agents/execution-engine';
import type { Tool } from '../agents/tool-dispatcher';
import { isToolCallError } from '../errors/tool-call-error';
import { evaluateArithmetic, extractExpression } from './arithmetic';

export interface CalculatorInput {
  expression: string;
}

/** The demo's one tool. */
export const calculatorTool: Tool<CalculatorInput, number> = (input) =>
  evaluateArithmetic(String(input?.expression ?? ''));

/**
 * The deterministic demo agent: no network, no model. It finds the arithmetic in the user's text,
 * thinks out loud, calls the calculator tool and answers. Every golden-path event, every time.
 */
export const calculatorAgent: Agent = async (context) => {
  const text = String(context.input);
  await context.thinking('Looking for arithmetic in the message.');
  const expression = extractExpression(text);
  if (expression === undefined) {
    return { answer: 'I only do arithmetic; try "what is (2 + 3) * 4?".' };
  }
  await context.thinking(`Evaluating ${expression} with the calculator tool.`);
  try {
    const value = await context.callTool<number>('calculator', { expression });
    return { answer: `${expression} = ${value}`, value };
  } catch (error) {
    if (isToolCallError(error))
      return { answer: `I could not compute ${expression}: ${error.message}` };
    throw error;
  }
};
