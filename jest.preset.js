/** Shared Jest settings: TypeScript through ts-jest (transpile only; `tsc -b` does the type checking). */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  // Tests talk to real PostgreSQL, NATS and S3 while the e2e suite loads both cores beside them:
  // Jest's 5 s default cut short tests that wait on a condition with a longer deadline of their own.
  testTimeout: 60_000,
  // Every failure again at the end of the run, whatever the number of suites: CI keeps only a log's tail.
  reporters: [['default', { summaryThreshold: 0 }]],
};
