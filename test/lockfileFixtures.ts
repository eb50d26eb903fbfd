/** A package-lock v3 with `count` packages, every other one dev-only (tests and the bench). */
export function bigPackageLock(count: number): string {
  const packages: Record<string, unknown> = { '': { name: 'big', version: '1.0.0' } };
  for (let i = 0; i < count; i++) {
    const name = i % 7 === 0 ? `@scope${i % 13}/pkg-${i}` : `pkg-${i}`;
    const at = i % 5 === 0 ? `node_modules/pkg-${i - 1}/node_modules/${name}` : `node_modules/${name}`;
    packages[at] = { version: `1.${i % 40}.${i % 9}`, resolved: `https://registry.npmjs.org/${name}/-/pkg-${i}.tgz`, integrity: `sha512-${'a'.repeat(86)}==`, ...(i % 2 ? { dev: true } : {}), license: 'MIT' };
  }
  return JSON.stringify({ name: 'big', version: '1.0.0', lockfileVersion: 3, requires: true, packages }, null, 2);
}
