// How long a change waits for another one holding the same ledger (a file's write lock, a
// server ledger's advisory lock) before it is refused with exit 4: 10 seconds.
// RECTIFY_LOCK_WAIT_MS (whole milliseconds) shortens it for the tests that make a change wait
// on purpose, so that the suite does not sit out ten seconds to see the refusal.
const fromEnv = process.env.RECTIFY_LOCK_WAIT_MS;
export const LOCK_WAIT_MS = fromEnv !== undefined && /^\d{1,7}$/.test(fromEnv) ? Number(fromEnv) : 10_000;
