// Is dist/ the bundle of the sources as they are now? scripts/sources-digest.mjs tells, from
// the digest that the build (scripts/build.mjs) leaves in dist/.sources.
import { resolve } from 'node:path';

export { bundleState, sourcesDigest, stampBundle } from '../../scripts/sources-digest.mjs';
export const ROOT = resolve(__dirname, '..', '..');
