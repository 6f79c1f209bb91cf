/** True for the tracking URI `none` (any case): MLflow is off and records stay in the run folder. */
export function isNoTracking(uri: string | undefined): boolean {
  return uri !== undefined && uri.trim().toLowerCase() === 'none';
}
