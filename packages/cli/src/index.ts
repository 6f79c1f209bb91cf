export { main, runFromProcess } from './main';
export type { CliIo } from './io';
export { EXIT } from './io';
