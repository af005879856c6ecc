/** Tests are named by level: *.unit.spec.ts, *.int.spec.ts, *.e2e.spec.ts. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testRegex: '\\.(unit|int|e2e)\\.spec\\.ts$',
  // NestJS 12 ships ES modules only. Node >= 20.19 can require() them, but jest's module
  // runtime cannot before Node 24.9, so those packages go through the same SWC transform.
  transformIgnorePatterns: ['/node_modules/(?!(@nestjs|content-disposition|file-type|strtok3|token-types|uint8array-extras|@borewit)/)'],
  transform: {
    '^.+\\.(t|m?j)s$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
        },
      },
    ],
  },
  testTimeout: 30000,
};
