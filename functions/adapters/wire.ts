/**
 * The ports a handler's use case takes, as one object whose properties are built when first read:
 * `wire({ cases, org })` (getters from deps.ts) is a `Pick<Deps, 'cases' | 'org'>`, so a use case
 * that needs one more port does not compile until its handler wires it.
 */
export function wire<const F extends Record<string, () => unknown>>(getters: F): { readonly [K in keyof F]: ReturnType<F[K]> } {
  const ports = {};
  for (const [name, get] of Object.entries(getters)) Object.defineProperty(ports, name, { get, enumerable: true });
  return ports as { readonly [K in keyof F]: ReturnType<F[K]> };
}
