/** The quiz module's public face: what app.ts (and any other module) may import. */
export { quizModule } from './module.ts';
