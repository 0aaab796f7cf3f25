import { MIN_FINGERPRINT, type Implementation } from './surface';

// Which implementations are one concept: their public surfaces largely match. Names are compared
// with their arity (a member of the same name and arity counts 1, of another arity ½), against
// the smaller surface — a hand-rolled manager covers part of a canonical one, not all of it.

export interface GroupingOptions {
  /** Members two surfaces must share by name to be compared at all. Default 3. */
  minShared?: number;
  /** The match, 0–1, from which two implementations are one concept. Default 0.6. */
  threshold?: number;
}

export const DEFAULT_MIN_SHARED = 3;
export const DEFAULT_THRESHOLD = 0.6;
/** Implementations past which a member name no longer proposes pairs to compare. */
const COMMON_NAME = 200;

/** How far two surfaces match (0–1) and the member names they share. */
export function similarity(
  a: ReadonlyMap<string, number>,
  b: ReadonlyMap<string, number>,
): { score: number; shared: string[] } {
  const shared: string[] = [];
  let points = 0;
  for (const [name, arity] of a) {
    const other = b.get(name);
    if (other === undefined) continue;
    shared.push(name);
    points += other === arity ? 1 : 0.5;
  }
  const smaller = Math.min(a.size, b.size);
  return { score: smaller === 0 ? 0 : points / smaller, shared: shared.sort() };
}

/** Whether two surfaces are one concept under the options. */
export function matches(
  a: ReadonlyMap<string, number>,
  b: ReadonlyMap<string, number>,
  options: GroupingOptions = {},
): boolean {
  const { score, shared } = similarity(a, b);
  return (
    shared.length >= (options.minShared ?? DEFAULT_MIN_SHARED) &&
    score >= (options.threshold ?? DEFAULT_THRESHOLD)
  );
}

/** The index key of a fingerprint long enough to make copies (none for a short one). */
const fingerprintKey = (implementation: Implementation): string[] =>
  implementation.fingerprint.length >= MIN_FINGERPRINT ? [`\0${implementation.fingerprint}`] : [];

/**
 * Whether two implementations are variations by design rather than copies: one extends, builds
 * or is built by the other (a facade over its drivers), or both extend one base or implement one
 * interface (drivers of one abstraction). Such a pair is never grouped.
 */
export function related(a: Implementation, b: Implementation): boolean {
  return (
    a.extends === b.name ||
    b.extends === a.name ||
    (a.extends !== undefined && a.extends === b.extends) ||
    a.implements.some((name) => b.implements.includes(name)) ||
    a.uses.includes(b.name) ||
    b.uses.includes(a.name)
  );
}

/** Copies (the same body) or one concept by surface, and not variations by design. */
export function sameConcept(
  a: Implementation,
  b: Implementation,
  options: GroupingOptions = {},
): boolean {
  if (related(a, b)) return false;
  if (a.fingerprint.length >= MIN_FINGERPRINT && a.fingerprint === b.fingerprint) return true;
  return matches(a.members, b.members, options);
}

/**
 * The connected groups of implementations that match one another, each at least two strong
 * (singletons are returned apart, for a caller that matches them against canonical concepts).
 * Candidate pairs come from an index of member names, so the cost follows the pairs that share
 * a name, not the square of the implementations.
 */
export function connectedGroups<T extends { implementation: Implementation }>(
  items: readonly T[],
  options: GroupingOptions = {},
): { groups: T[][]; singles: T[] } {
  const parent = items.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i] as number] as number;
      i = parent[i] as number;
    }
    return i;
  };
  const byMember = new Map<string, number[]>();
  items.forEach((item, i) => {
    // The fingerprint proposes copies whatever their surface, like a member name proposes pairs.
    for (const name of [
      ...item.implementation.members.keys(),
      ...fingerprintKey(item.implementation),
    ])
      byMember.set(name, [...(byMember.get(name) ?? []), i]);
  });
  const compared = new Set<string>();
  items.forEach((item, i) => {
    for (const name of [
      ...item.implementation.members.keys(),
      ...fingerprintKey(item.implementation),
    ]) {
      const holders = byMember.get(name) ?? [];
      // A name nearly everything has (`close`, `start`) finds no duplicate the rarer ones miss.
      if (holders.length > COMMON_NAME) continue;
      for (const j of holders) {
        if (j <= i || compared.has(`${i}:${j}`)) continue;
        compared.add(`${i}:${j}`);
        const other = items[j] as T;
        if (sameConcept(item.implementation, other.implementation, options))
          parent[find(j)] = find(i);
      }
    }
  });
  const components = new Map<number, T[]>();
  items.forEach((item, i) => components.set(find(i), [...(components.get(find(i)) ?? []), item]));
  const groups: T[][] = [];
  const singles: T[] = [];
  for (const members of components.values())
    if (members.length > 1) groups.push(members);
    else singles.push(members[0] as T);
  return { groups, singles };
}
