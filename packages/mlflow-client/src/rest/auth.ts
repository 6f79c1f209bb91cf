/**
 * The Authorization header MLflow's own clients send, from MLflow's environment variables:
 * `MLFLOW_TRACKING_TOKEN` (Bearer) wins over `MLFLOW_TRACKING_USERNAME` +
 * `MLFLOW_TRACKING_PASSWORD` (Basic). Returns undefined when none is set.
 *
 * @example authHeaderFromEnv({ MLFLOW_TRACKING_USERNAME: 'u', MLFLOW_TRACKING_PASSWORD: 'p' }) // 'Basic dTpw'
 */
export function authHeaderFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const token = env.MLFLOW_TRACKING_TOKEN;
  if (token) return `Bearer ${token}`;
  const user = env.MLFLOW_TRACKING_USERNAME;
  const password = env.MLFLOW_TRACKING_PASSWORD;
  if (user !== undefined || password !== undefined) {
    return `Basic ${Buffer.from(`${user ?? ''}:${password ?? ''}`).toString('base64')}`;
  }
  return undefined;
}
