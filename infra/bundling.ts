/**
 * How every Lambda is bundled: the CDK's NodejsFunction and the benchmark's esbuild build read
 * the same settings, so the bundle measured is the bundle deployed. ESM for Node.js 22, minified,
 * the SDK clients bundled and tree-shaken (only what each handler uses is shipped).
 */
export const lambdaBundling = {
  target: 'node22',
  minify: true,
  mainFields: ['module', 'main'],
  /** Some CommonJS dependencies call require() for Node built-ins. */
  banner: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
} as const;
