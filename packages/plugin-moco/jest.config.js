module.exports = { ...require('../../jest.preset.js'), displayName: 'plugin-moco', rootDir: __dirname };
