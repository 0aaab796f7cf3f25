import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CODES } from '../../src/errors/codes';
import { CLOSE_CODES, FRAME_ERROR_CODES } from '../../src/protocol/codes';

const docs = (name: string) => readFileSync(join(__dirname, '..', '..', 'docs', name), 'utf8');

/** The first cells of the rows of the markdown table that follows a heading. */
function tableKeys(markdown: string, heading: string): string[] {
  const section = markdown.split(`## ${heading}\n`)[1]?.split('\n## ')[0] ?? '';
  return section
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .slice(2) // the header row and the separator row
    .map((line) => (line.split('|')[1] ?? '').trim().replace(/`/g, ''));
}

describe('registries and their docs agree', () => {
  it('docs/protocol.md documents exactly the frame error codes, in registry order', () => {
    expect(tableKeys(docs('protocol.md'), 'Error codes')).toEqual(Object.keys(FRAME_ERROR_CODES));
    expect(Object.keys(FRAME_ERROR_CODES)).toHaveLength(9);
  });

  it('docs/protocol.md documents exactly the close codes with their numbers', () => {
    const rows = docs('protocol.md')
      .split('## Close codes\n')[1]
      ?.split('\n## ')[0]
      ?.split('\n')
      .filter((line) => /^\| \d{4} /.test(line))
      .map((line) => line.split('|').map((cell) => cell.trim().replace(/`/g, '')));
    expect(rows?.map((cells) => [cells[2], Number(cells[1])])).toEqual(Object.entries(CLOSE_CODES));
    expect(Object.keys(CLOSE_CODES)).toHaveLength(16);
  });

  it('docs/errors.md documents exactly the thrown error codes, in registry order', () => {
    const markdown = docs('errors.md');
    const keys = markdown
      .split('\n')
      .filter((line) => line.startsWith('| `UWS_ERR_'))
      .map((line) => (line.split('|')[1] ?? '').trim().replace(/`/g, ''));
    expect(keys).toEqual(Object.keys(ERROR_CODES));
    expect(keys).toHaveLength(35);
  });
});
