/**
 * The blog module's public face: the only file another module (or app.ts) may import. The blog
 * offers nothing to other modules but its plugin.
 */
export { blogModule } from './module.ts';
