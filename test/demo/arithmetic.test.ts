import { evaluateArithmetic, extractExpression } from '../../src/demo/arithmetic';

describe('the demo calculator', () => {
  it.each([
    ['2 + 3', 5],
    ['(2 + 3) * 4', 20],
    ['2 + 3 * 4', 14],
    ['-3 + 10 / 4', -0.5],
    ['0.1 + 0.2', 0.3],
    ['--2', 2],
    ['((1))', 1],
  ])('evaluates %s = %d', (expression, value) => {
    expect(evaluateArithmetic(expression)).toBe(value);
  });

  it.each([
    ['1 / 0', 'DIVISION_BY_ZERO'],
    ['2 +', 'SYNTAX'],
    ['(1 + 2', 'SYNTAX'],
    ['1 2', 'SYNTAX'],
    ['alert(1)', 'SYNTAX'],
    ['1+'.repeat(150) + '1', 'TOO_LONG'],
  ])('refuses %s with %s', (expression, code) => {
    expect(() => evaluateArithmetic(expression)).toThrow(
      expect.objectContaining({ code, name: 'ArithmeticError' }),
    );
  });

  it.each([
    ['What is (2 + 3) * 4?', '(2 + 3) * 4'],
    ['compute 6 x 7 please', '6 * 7'],
    ['and 1.5 / 3 - 2?', '1.5 / 3 - 2'],
    ['hello there', undefined],
  ])('finds the arithmetic in %j', (text, expression) => {
    expect(extractExpression(text)).toBe(expression);
  });
});
