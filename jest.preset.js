// Shared jest settings for every package. ts-jest transpiles only (type checking is the
// build's job), and @contrastive/* imports resolve to sources so tests need no build.
const path = require('path');
module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: path.join(__dirname, 'tsconfig.jest.json') }],
  },
  moduleNameMapper: {
    // Every workspace package, plugins included: @contrastive/<folder> -> packages/<folder>/src.
    '^@contrastive/([a-z0-9-]+)$': path.join(__dirname, 'packages/$1/src/index.ts'),
  },
  testMatch: ['**/?(*.)test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  setupFiles: [path.join(__dirname, 'tools/jest/setup-env.js')],
  testTimeout: 120000,
};
