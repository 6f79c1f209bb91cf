// Jest globalSetup of the packages whose tests talk to a real MLflow server. Uses the
// server named by MLFLOW_TEST_URI (started by .ci/run, or by a developer; `none` = no
// server), else starts one from the pinned mlflow (tools/mlflow-server) without waiting
// for it: tests that need it wait through mlflowTestServer(), the others run meanwhile.
const { findMlflow, startServer } = require('../mlflow-server/mlflow-server');

module.exports = async function mlflowGlobalSetup() {
  if (process.env.MLFLOW_TEST_URI) return;
  if (!findMlflow()) return;
  const server = await startServer({});
  process.env.MLFLOW_TEST_URI = server.uri;
  process.env.MLFLOW_TEST_SERVER_STARTED_BY_JEST = '1';
  globalThis.__mlflowTestServer = server;
};
