module.exports = {
  ...require('../../jest.preset.js'),
  // Tests against a real MLflow tracking server: see tools/jest/mlflow-global-setup.js.
  ...require('../../tools/jest/mlflow-server-hooks.js'),
  displayName: 'cli',
  rootDir: __dirname,
};
