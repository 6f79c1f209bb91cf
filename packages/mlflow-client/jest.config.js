module.exports = { ...require('../../jest.preset.js'), displayName: 'mlflow-client', rootDir: __dirname };
