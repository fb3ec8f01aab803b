/** The notes module's public face: app.ts registers it; nothing else needs its insides. */
export { notesModule } from './module.ts';
