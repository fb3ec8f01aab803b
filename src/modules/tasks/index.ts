/**
 * The tasks module's public face: the only file another module (or app.ts) may import. Tasks
 * offer nothing to other modules but their plugin.
 */
export { tasksModule } from './module.ts';
