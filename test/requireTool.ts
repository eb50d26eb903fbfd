/**
 * Real-environment checks (real VS Code, a BuildKit engine, buildah, a registry) skip with one line
 * when their tool is missing: right on a laptop, wrong in CI, which installs them. There,
 * DOCKERLENS_REQUIRE lists the tools that must be present (`.ci/run` sets
 * DOCKERLENS_REQUIRE=e2e,engine,buildah) and a skip for one of them fails instead.
 * Names: e2e, engine, buildah, registry, npm-registry (any word works; a test names its own).
 * test/e2e/run.mjs, plain JavaScript outside the build, reads the variable the same way.
 */
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';

/** The tools DOCKERLENS_REQUIRE lists. */
export function requiredTools(env: NodeJS.ProcessEnv = process.env): Set<string> {
  return new Set((env['DOCKERLENS_REQUIRE'] ?? '').split(',').map((word) => word.trim()).filter(Boolean));
}

/** Skips the test with `reason`, or fails it when DOCKERLENS_REQUIRE lists `tool`. */
export function skipOrFail(t: TestContext, tool: string, reason: string): void {
  if (requiredTools().has(tool)) assert.fail(`${tool} is required here (DOCKERLENS_REQUIRE=${process.env['DOCKERLENS_REQUIRE']}) but unavailable: ${reason}`);
  t.skip(reason);
}
