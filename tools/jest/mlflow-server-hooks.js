// Jest globalSetup/globalTeardown for packages whose tests need a real MLflow tracking
// server (see mlflow-global-setup.js): spread into a package's jest.config.js.
const path = require('path');

module.exports = {
  globalSetup: path.join(__dirname, 'mlflow-global-setup.js'),
  globalTeardown: path.join(__dirname, 'mlflow-global-teardown.js'),
};
