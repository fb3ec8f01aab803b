/** The quiz module's public face: what app.ts (and any other module) may import. */
export { withPlayerTokens } from './games/player-auth.ts';
export { quizModule } from './module.ts';
