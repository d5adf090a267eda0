/**
 * The public entry points of `pull`: the function (the demo and the benchmark call it) and the command.
 * Everything else in this folder is a step of it.
 */
export { pull } from './pull';
export { registerPull } from './command';
export type { PullDeps, PullOptions } from './options';
