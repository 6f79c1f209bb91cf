/** Base class of every error this package throws. */
export class MlflowError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * The server answered with an error. `errorCode` is MLflow's (`RESOURCE_DOES_NOT_EXIST`,
 * `INVALID_PARAMETER_VALUE`, ...), `serverMessage` its text; `status` the HTTP status.
 */
export class MlflowApiError extends MlflowError {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    readonly serverMessage: string,
    readonly endpoint: string,
  ) {
    super(`MLflow ${endpoint} failed: ${errorCode} (HTTP ${status}): ${explain(status, errorCode, serverMessage)}`);
  }
}

/** The server could not be reached (connection refused, DNS, timeout) after every retry. */
export class MlflowUnreachableError extends MlflowError {
  constructor(readonly uri: string, readonly reason: string, readonly attempts: number) {
    super(`MLflow server ${uri} is unreachable (${reason}) after ${attempts} attempt${attempts === 1 ? '' : 's'}`);
  }
}

/** A value MLflow would refuse or alter, found before anything was sent. */
export class MlflowInputError extends MlflowError {}

function explain(status: number, code: string, message: string): string {
  if (status === 401) {
    return `${message || 'unauthenticated'}: check MLFLOW_TRACKING_USERNAME / MLFLOW_TRACKING_PASSWORD (or MLFLOW_TRACKING_TOKEN)`;
  }
  if (status === 403) return `${message || 'permission denied'}: the user has no permission for this resource`;
  return message || code;
}

/**
 * True when trying again later may succeed: the server was unreachable, overloaded (429)
 * or failed internally (5xx). Authentication errors and refused input are not transient.
 */
export function isTransient(err: unknown): boolean {
  if (err instanceof MlflowUnreachableError) return true;
  if (err instanceof MlflowApiError) return err.status >= 500 || err.status === 429;
  return false;
}

/** True for 401/403: the credentials are missing, wrong, or lack permission. */
export function isAuthError(err: unknown): boolean {
  return err instanceof MlflowApiError && (err.status === 401 || err.status === 403);
}

/** The experiment exists but was deleted; MLflow keeps its name taken until it is purged. */
export class MlflowExperimentDeletedError extends MlflowError {
  constructor(readonly experimentName: string, readonly experimentId: string, readonly uri: string) {
    super(
      `MLflow experiment "${experimentName}" (id ${experimentId}) at ${uri} was deleted, and MLflow keeps a deleted ` +
        `experiment's name taken: restore it (MLFLOW_TRACKING_URI=${uri} mlflow experiments restore --experiment-id ` +
        `${experimentId}) or choose another name (tracking.experiment in the config, or MLFLOW_EXPERIMENT_NAME)`,
    );
  }
}
