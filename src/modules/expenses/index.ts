/** The expenses module's public face. */
export { expensesModule } from './module.ts';
