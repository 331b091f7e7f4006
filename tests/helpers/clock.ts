// The test clock (tests/fixtures/views/fake-now.cjs), shared by helpers/cli.ts and the worker.
/** NODE_OPTIONS that only preload the test clock (tests/fixtures/views/fake-now.cjs, fixed at
 *  $RECTIFY_TEST_NOW): the in-process runner honours it itself, so it needs no process. */
export function onlyFixesClock(nodeOptions: string | undefined): boolean {
  return nodeOptions !== undefined && /^--require \S+[\\/]tests[\\/]fixtures[\\/]views[\\/]fake-now\.cjs$/.test(nodeOptions);
}
