import type { ImportDeclaration } from '@babel/types';
import type { SpecifierList } from './specifier-list';

// The canonical imports that moved specifiers merge into, and how a specifier is keyed and
// written: shared by the rewrite context and the import room (imports.ts).

/** One specifier to add to the canonical import. */
export interface AddedSpecifier {
  /** The canonical module it is imported from, as this file writes it. */
  from: string;
  imported: string;
  local: string;
  typeOnly: boolean;
}

/** The canonical imports of one specifier that specifiers merge into, by kind. */
export interface Targets {
  value?: ImportTarget;
  type?: ImportTarget;
}

/** A canonical import declaration that specifiers can be appended to. */
export interface ImportTarget {
  node: ImportDeclaration;
  /** imported→local pairs it holds (or will hold), for deduplication. */
  holds: Set<string>;
  /** The editor of its specifier list, where added specifiers go. */
  list: SpecifierList;
  /**
   * The code of the legacy import it is, rewritten in place (not one the file had): path-only
   * moves of the same entry never merge into it.
   */
  inPlaceOf?: string;
}

export const specifierKey = (imported: string, local: string, typeOnly: boolean): string =>
  `${typeOnly ? 'type ' : ''}${imported} as ${local}`;

export function specifierText(spec: AddedSpecifier, inlineType: boolean): string {
  const name = spec.imported === spec.local ? spec.imported : `${spec.imported} as ${spec.local}`;
  return inlineType && spec.typeOnly ? `type ${name}` : name;
}
