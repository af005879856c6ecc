/** Tests are named by level: *.unit.spec.ts, *.int.spec.ts, *.e2e.spec.ts. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testRegex: '\\.(unit|int|e2e)\\.spec\\.ts$',
  // NestJS 12 ships ES modules only. Node >= 20.19 can require() them, but jest's module
  // runtime cannot before Node 24.9, so those packages are transpiled to CommonJS as well.
  transformIgnorePatterns: [
    '/node_modules/(?!(@nestjs|content-disposition|file-type|strtok3|token-types|uint8array-extras|@borewit)/)',
  ],
  transform: {
    // ts-jest transpiles file by file (tsconfig.jest.json's isolatedModules; no type check:
    // `npm run typecheck` does that); it is pure JavaScript, so `npm ci` needs no platform binaries.
    '^.+\\.(t|m?j)s$': ['<rootDir>/test/support/jest-transformer.js', { tsconfig: 'tsconfig.jest.json' }],
  },
  testTimeout: 30000,
};
