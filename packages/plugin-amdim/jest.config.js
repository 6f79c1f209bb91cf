module.exports = { ...require('../../jest.preset.js'), displayName: 'plugin-amdim', rootDir: __dirname };
