export { main, runFromProcess } from './main';
export type { CliIo } from './io';
export { EXIT } from './io';
export { evalCommand, evalSummary, type EvalArgs, type EvalDependencies } from './commands/eval-command';
export { reportCommand, type ReportArgs } from './commands/report-command';
export { runCli, type CliRun } from './run-cli';
