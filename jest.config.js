/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Fixture projects carry their own tests, run by the tests that use them.
  testPathIgnorePatterns: ['/node_modules/', '/test/fixtures/'],
  setupFilesAfterEnv: ['<rootDir>/test/setup.ts'],
  // Installs the system programs the tests run (redis-server) when missing: test/support.
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  // Real sockets and child processes: give slow CI machines room, never hide a leak.
  testTimeout: 30000,
};
