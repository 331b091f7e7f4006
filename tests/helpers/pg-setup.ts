// vitest globalSetup: one line when the PostgreSQL suite is left out (RECTIFY_TEST_PG unset).
export default function setup(): void {
  if (!process.env.RECTIFY_TEST_PG) {
    process.stdout.write('PostgreSQL tests skipped: set RECTIFY_TEST_PG to a server where tests may create databases (.ci/run does)\n');
  }
}
