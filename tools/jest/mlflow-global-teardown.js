// Stops the MLflow server that mlflow-global-setup.js started (if it started one).
const fs = require('fs');

module.exports = async function mlflowGlobalTeardown() {
  const server = globalThis.__mlflowTestServer;
  if (!server) return;
  await server.stop();
  fs.rmSync(server.dir, { recursive: true, force: true });
  delete process.env.MLFLOW_TEST_URI;
};
