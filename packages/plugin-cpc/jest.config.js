module.exports = { ...require('../../jest.preset.js'), displayName: 'plugin-cpc', rootDir: __dirname };
