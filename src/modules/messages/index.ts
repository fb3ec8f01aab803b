/** The messaging module's public face: what app.ts (and any other module) may import. */
export { messagesModule } from './module.ts';
