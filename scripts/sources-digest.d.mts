export function sourcesDigest(root: string): string;
export function bundleState(root: string): string;
export function stampBundle(root: string): void;
