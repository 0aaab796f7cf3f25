/** Thrown for an expression the calculator cannot evaluate; `code` says why. */
export class ArithmeticError extends Error {
  override name = 'ArithmeticError' as const;
  constructor(
    readonly code: 'SYNTAX' | 'DIVISION_BY_ZERO' | 'TOO_LONG',
    message: string,
  ) {
    super(message);
  }
}

const MAX_LENGTH = 200;

/**
 * Evaluates + - * / and parentheses over decimal numbers, by recursive descent: no eval, no
 * Function, so the demo agent's tool is deterministic and safe on any input.
 */
export function evaluateArithmetic(expression: string): number {
  if (expression.length > MAX_LENGTH)
    throw new ArithmeticError('TOO_LONG', `Expressions are limited to ${MAX_LENGTH} characters.`);
  const tokens = expression.match(/\d+(?:\.\d+)?|[-+*/()]|\S/g) ?? [];
  let index = 0;
  const peek = (): string | undefined => tokens[index];
  const fail = (): never => {
    throw new ArithmeticError('SYNTAX', `Cannot read "${expression}" as arithmetic.`);
  };
  const primary = (): number => {
    const token = tokens[index++];
    if (token === '(') {
      const value = sum();
      if (tokens[index++] !== ')') fail();
      return value;
    }
    if (token === '-') return -primary();
    if (token === '+') return primary();
    if (token === undefined || !/^\d/.test(token)) return fail();
    return Number(token);
  };
  const product = (): number => {
    let value = primary();
    while (peek() === '*' || peek() === '/') {
      const op = tokens[index++];
      const right = primary();
      if (op === '/' && right === 0)
        throw new ArithmeticError('DIVISION_BY_ZERO', 'Division by zero.');
      value = op === '*' ? value * right : value / right;
    }
    return value;
  };
  const sum = (): number => {
    let value = product();
    while (peek() === '+' || peek() === '-') {
      const op = tokens[index++];
      const right = product();
      value = op === '+' ? value + right : value - right;
    }
    return value;
  };
  const value = sum();
  if (index !== tokens.length) fail();
  // Round away binary noise (0.1 + 0.2) so answers read the way a person expects.
  return Number.parseFloat(value.toPrecision(12));
}

/** The arithmetic inside a sentence ("what is (2 + 3) * 4?" → "(2 + 3) * 4"), if any. */
export function extractExpression(text: string): string | undefined {
  const match = /[-+(]*\d[\d\s.+\-*/()]*/.exec(text.replace(/[×x]/g, '*').replace(/÷/g, '/'));
  const expression = match?.[0].trim().replace(/[-+*/(\s]+$/, '');
  return expression && /\d/.test(expression) ? expression : undefined;
}
