import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { lambdaBundling } from '../infra/bundling';
import type { BenchLambda } from './lambdas';

/** Section 1: each function bundled exactly as the CDK bundles it, with its largest inputs. */

export interface BundleFigure {
  name: string;
  file: string;
  bytes: number;
  largestInputs: { input: string; bytes: number }[];
}

/** node_modules/@aws-sdk/client-dynamodb/dist-es/... -> @aws-sdk/client-dynamodb; our files by folder. */
const packageOf = (path: string) => {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  return match ? match[1]! : path.split('/').slice(0, 2).join('/');
};

const largest = (metafile: Metafile, output: string) => {
  const sizes = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(metafile.outputs[output]!.inputs)) {
    sizes.set(packageOf(input), (sizes.get(packageOf(input)) ?? 0) + bytesInOutput);
  }
  return [...sizes]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([input, bytes]) => ({ input, bytes }));
};

export const bundle = async (name: string, entry: string, outDir: string): Promise<BundleFigure> => {
  mkdirSync(outDir, { recursive: true });
  const outfile = join(outDir, `${name.replace(/\W+/g, '-')}.mjs`);
  const result = await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: lambdaBundling.target,
    minify: lambdaBundling.minify,
    mainFields: [...lambdaBundling.mainFields],
    banner: { js: lambdaBundling.banner },
    metafile: true,
    logLevel: 'silent',
  });
  const [output] = Object.keys(result.metafile.outputs).filter((file) => file.endsWith('.mjs'));
  return { name, file: outfile, bytes: result.metafile.outputs[output!]!.bytes, largestInputs: largest(result.metafile, output!) };
};

export const bundleAll = async (lambdas: BenchLambda[], outDir: string) => ({
  floor: await bundle('floor', 'bench/floor/handler.ts', outDir),
  functions: await Promise.all(lambdas.map((lambda) => bundle(lambda.name, lambda.entry, outDir))),
});
