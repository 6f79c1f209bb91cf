const path = require('path');
const tools = path.resolve(__dirname, '../../tools/jest');
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'mlflow-client',
  rootDir: __dirname,
  // Tests against a real MLflow tracking server: see tools/jest/mlflow-global-setup.js.
  globalSetup: path.join(tools, 'mlflow-global-setup.js'),
  globalTeardown: path.join(tools, 'mlflow-global-teardown.js'),
};
