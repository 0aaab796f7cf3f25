import { deprecationCounter } from '../deprecation/index';

/** The counter of each counted view, and of each instance made through one. */
const counters = new WeakMap<object, () => void>();

/**
 * A use of a legacy object: counted under the code of the entry point it came through. Instance
 * methods of the delegating classes call this with `this`; an object made by hand from the raw
 * implementation (never done outside unified-ws) has no entry point and counts nothing.
 */
export function countUse(self: object | undefined): void {
  if (self !== undefined) counters.get(self)?.();
}

/** Makes `made` count under the same code as `by` (a factory's product counts as the factory). */
export function countLike<T extends object>(made: T, by: object | undefined): T {
  const counter = by === undefined ? undefined : counters.get(by);
  if (counter) counters.set(made, counter);
  return made;
}

/** True for a static member of a class (or a property of a function) — not Function.prototype's. */
function isStatic(target: object, key: string | symbol): boolean {
  for (
    let object: object | null = target;
    object !== null && object !== Function.prototype;
    object = Object.getPrototypeOf(object) as object | null
  ) {
    if (Object.prototype.hasOwnProperty.call(object, key)) return true;
  }
  return false;
}

/**
 * A delegating legacy export as one entry point sees it: the same implementation, counted under
 * that entry point's code. Generated shims wrap each delegating export in one, so two entry points
 * that share a class (the bridge's WebSocketNotifier and its duplicate) count apart while the class stays one:
 * the view has the implementation's prototype, static members and instances, and `instanceof`
 * holds through either view. Counted uses: a call, a `new` (and every instance method called on
 * what it made), and each read of a static method; for a plain object, each property read.
 */
export function countedExport<T extends object>(code: string, implementation: T): T {
  const use = deprecationCounter(code);
  const view =
    typeof implementation === 'function'
      ? new Proxy(implementation, {
          apply(target, thisArg, args) {
            use();
            return Reflect.apply(target as (...a: unknown[]) => unknown, thisArg, args);
          },
          construct(target, args, newTarget) {
            use();
            const made = Reflect.construct(
              target as new (...a: unknown[]) => object,
              args,
              newTarget,
            );
            counters.set(made, use);
            return made;
          },
          get(target, key, receiver) {
            const value: unknown = Reflect.get(target, key, receiver);
            if (typeof value === 'function' && key !== 'prototype' && isStatic(target, key)) use();
            return value;
          },
        })
      : new Proxy(implementation, {
          get(target, key, receiver) {
            use();
            return Reflect.get(target, key, receiver);
          },
        });
  counters.set(view, use);
  return view;
}
