module.exports = { ...require('../../jest.preset.js'), displayName: 'plugin-dim', rootDir: __dirname };
