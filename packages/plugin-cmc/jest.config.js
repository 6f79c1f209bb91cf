module.exports = { ...require('../../jest.preset.js'), displayName: 'plugin-cmc', rootDir: __dirname };
